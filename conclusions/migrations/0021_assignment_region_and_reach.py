"""A province's scope of assignments carried by the rows (issue 21): `Assignment.region` (the
area's region, kept by core.migration_ops.RegionColumn's triggers, as the notices' and the
opinions'), `AssignmentReach` (the few regions an assignment reaches otherwise, kept by the
triggers of conclusions.reach) and the index of a region's open work by deadline.

Locks: one transaction. Adding the column takes an ACCESS EXCLUSIVE lock on the assignments
(reads too) and creating the triggers a SHARE ROW EXCLUSIVE lock on the units, the users and
the coordinating agencies (their writes), all held until the migration commits. On the
generated 1,017,309 assignments (benchmark database, load 2–3.5): 80 s in all for `migrate`,
of which the UPDATE giving every row its region ~70 s (it writes a new version of every row,
into every index: run `VACUUM (ANALYZE) conclusions_assignment` after it, as after 0018, for
the index-only scans), the reaching rows 4.9 s (none there: the generated work stays in its
ward) and the index 0.7 s (5 MB, open work only). Apply it when the offices are closed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from conclusions.reach import ReachRows
from core.migration_ops import RegionColumn


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_signing_keys"),
        ("conclusions", "0020_assignment_covers_keyed_by_deadline_and_id"),
        ("petitions", "0013_merge_decisions_conference_cover"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AssignmentReach",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "assignment",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="conclusions.assignment",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.orgunit",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("region", "assignment"), name="assignment_reach_unique")
                ],
            },
        ),
        migrations.AddField(
            model_name="assignment",
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
        migrations.AddField(
            model_name="historicalassignment",
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
        # The region of every assignment already there and the triggers that keep it, then
        # the reaching rows and their triggers (they need core_region_of), the index last.
        RegionColumn(table="conclusions_assignment"),
        ReachRows(),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("status", "accepted"), _negated=True),
                fields=["region", "deadline", "id"],
                name="assignment_region_open",
            ),
        ),
    ]
