# Rare words in opinions are looked up through a word index (two million rows: see
# core.migration_ops and core.models.SearchQuerySet.narrowed_by_words). Not atomic: the index
# is built concurrently, so that opinions can still be written meanwhile.

from django.db import migrations

from core.migration_ops import SearchWordIndex


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("petitions", "0006_dashboard_indexes"), ("core", "0004_search_words")]
    operations = [SearchWordIndex(table="petitions_petition")]
