# The search indexes written without GIN's pending list (core.migration_ops.GIN_OPTIONS).

from django.db import migrations

from core.migration_ops import GinWithoutPendingList


class Migration(migrations.Migration):
    dependencies = [("petitions", "0013_merge_decisions_conference_cover")]

    operations = [
        GinWithoutPendingList("petitions_petition_search_text_trgm", "petitions_petition_search_words")
    ]
