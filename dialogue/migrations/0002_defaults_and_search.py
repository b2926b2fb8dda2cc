from django.db import migrations

from core.migration_ops import TrigramIndex
from dialogue import defaults


def add_defaults(apps, schema_editor):
    defaults.ensure(
        apps.get_model("dialogue", "ConferenceBasis"), apps.get_model("dialogue", "ConferenceRequirement")
    )


class Migration(migrations.Migration):
    dependencies = [("dialogue", "0001_initial"), ("core", "0002_trigram_extension")]
    operations = [
        migrations.RunPython(add_defaults, migrations.RunPython.noop),
        TrigramIndex(table="dialogue_conference"),
    ]
