# pg_trgm serves accent-free search (LIKE '%term%' on folded columns); a no-op on SQLite.
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [TrigramExtension()]
