# The search indexes written without GIN's pending list (core.migration_ops.GIN_OPTIONS).

from django.db import migrations

from core.migration_ops import GinWithoutPendingList


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_signing_keys")]

    operations = [
        GinWithoutPendingList("accounts_orgunit_search_text_trgm", "accounts_user_search_text_trgm")
    ]
