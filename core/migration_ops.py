"""Migration operations that only mean something on PostgreSQL.

Accent-free search filters a folded `search_text` column with LIKE '%term%'. On PostgreSQL a
GIN trigram index serves that; SQLite (used by `make run`) has no such index and simply scans.
Keeping the index out of the model state (it is created by RunPython) lets one migration file
serve both databases without makemigrations seeing a difference.
"""

from django.db import migrations


def TrigramIndex(*, table: str, column: str = "search_text") -> migrations.RunPython:  # noqa: N802
    name = f"{table}_{column}_trgm"[:63]

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop, elidable=False)
