# The search indexes written without GIN's pending list (core.migration_ops.GIN_OPTIONS).

from django.db import migrations

from core.migration_ops import GinWithoutPendingList


class Migration(migrations.Migration):
    dependencies = [("core", "0005_form_submission")]

    operations = [GinWithoutPendingList("core_searchword_word_trgm")]
