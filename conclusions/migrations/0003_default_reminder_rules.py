from django.db import migrations


def add_defaults(apps, schema_editor):
    from conclusions.reminders import rules_ensure

    rules_ensure(apps.get_model("conclusions", "ReminderRule"))


class Migration(migrations.Migration):
    dependencies = [("conclusions", "0002_reminders")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
