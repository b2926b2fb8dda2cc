from django.db import migrations

from core.migration_ops import TrigramIndex
from petitions import defaults


def add_categories(apps, schema_editor):
    defaults.ensure(apps.get_model("petitions", "Category"))


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial"), ("core", "0002_trigram_extension")]
    operations = [
        migrations.RunPython(add_categories, migrations.RunPython.noop),
        TrigramIndex(table="petitions_petition"),
    ]
