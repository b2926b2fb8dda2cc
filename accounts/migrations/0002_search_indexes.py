from django.db import migrations

from core.migration_ops import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("core", "0002_trigram_extension")]
    operations = [
        TrigramIndex(table="accounts_orgunit"),
        TrigramIndex(table="accounts_user"),
    ]
