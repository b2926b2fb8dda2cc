from django.conf import settings
from django.db import migrations, models

from conclusions.arising import ArisesOnColumn


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_signing_keys"),
        ("conclusions", "0017_notice_pdf_unsigned_reason"),
        ("dialogue", "0008_requirement_area_kind_nation"),
        ("petitions", "0013_merge_decisions_conference_cover"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="arises_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalassignment",
            name="arises_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        # The triggers and the day of every row already there (a million rows: minutes, every
        # index of the table takes the new row versions), then the index, built once.
        ArisesOnColumn(),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                fields=["arises_on"],
                include=("id", "status", "deadline", "lead_agency", "notice"),
                name="assignment_arising_cover",
            ),
        ),
    ]
