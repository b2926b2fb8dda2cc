# The search indexes written without GIN's pending list (core.migration_ops.GIN_OPTIONS).

from django.db import migrations

from core.migration_ops import GinWithoutPendingList


class Migration(migrations.Migration):
    dependencies = [("dialogue", "0008_requirement_area_kind_nation")]

    operations = [GinWithoutPendingList("dialogue_conference_search_text_trgm")]
