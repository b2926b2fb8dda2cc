# The dictionary of words behind the word indexes of large tables (core.migration_ops).

from django.db import migrations, models

from core.migration_ops import SearchWordFunctions


class Migration(migrations.Migration):
    dependencies = [("core", "0003_export_job")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.TextField()),
            ],
            options={"verbose_name": "từ tìm kiếm", "verbose_name_plural": "từ tìm kiếm"},
        ),
        # core.text.SEARCH_WORD_INDEXED_LENGTH, as it was when this ran (see SearchWordFunctions).
        SearchWordFunctions(indexed_length=200),
    ]
