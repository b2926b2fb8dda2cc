from django.db import migrations


def load(apps, schema_editor):
    from petitions.deadlines import rules_ensure

    rules_ensure(apps.get_model("petitions", "StatutoryRule"))


class Migration(migrations.Migration):
    dependencies = [("petitions", "0004_written_petitions")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
