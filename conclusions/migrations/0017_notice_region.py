import django.db.models.deletion
from django.db import migrations, models

from core.migration_ops import RegionColumn


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_orgunit_kind_nation"),
        ("conclusions", "0016_merge_answers_register_signatures_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalconclusionnotice",
            name="region",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.orgunit",
            ),
        ),
        migrations.AddField(
            model_name="conclusionnotice",
            name="region",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.orgunit",
            ),
        ),
        # The region of every notice (a backfill of those already there: 65,000 generated
        # notices in seconds), then the triggers that keep it; the index last, built once.
        RegionColumn(table="conclusions_conclusionnotice"),
        migrations.AddIndex(
            model_name="conclusionnotice",
            index=models.Index(fields=["region", "-issued_on", "-id"], name="notice_region_newest"),
        ),
    ]
