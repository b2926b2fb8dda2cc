"""Migration operations that only mean something on PostgreSQL.

Accent-free search filters a folded `search_text` column with LIKE '%term%'. On PostgreSQL a
GIN trigram index serves that; SQLite (used by `make run`) has no such index and simply scans.
Keeping the index out of the model state (it is created by RunPython) lets one migration file
serve both databases without makemigrations seeing a difference.
"""

from django.db import migrations

from core.text import SEARCH_WORD_INDEXED_LENGTH


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


# --- word indexes (large tables) ------------------------------------------------------------
# A trigram index finds rare words slowly in a large table: the trigrams of any Vietnamese
# word ("ong", "uon") occur in most rows, and their posting lists are intersected in full
# (25 ms for "den duong" over two million opinions, which match none). A word index keeps one
# posting list per whole word; the dictionary `core_searchword` turns a query word into the
# whole words containing it (core.models.SearchQuerySet.narrowed_by_words). Triggers keep the
# dictionary complete whatever writes the rows (save, bulk insert, COPY, raw SQL).


def remember_words_sql(rows: str) -> str:
    """Add the words of `rows` (a table, or a trigger's transition table) that the dictionary
    does not hold yet."""
    return f"""
        INSERT INTO core_searchword (word)
        SELECT DISTINCT w.word
        FROM {rows} AS r, unnest(string_to_array(r.search_text, ' ')) AS w (word)
        WHERE w.word <> '' AND NOT EXISTS (SELECT 1 FROM core_searchword AS k WHERE k.word = w.word)
    """


SEARCH_WORD_FUNCTIONS = f"""
    CREATE OR REPLACE FUNCTION core_search_words(search_text text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT array_agg(DISTINCT left(word, {SEARCH_WORD_INDEXED_LENGTH}))
        FROM unnest(string_to_array(search_text, ' ')) AS word
        WHERE word <> ''
    $$;
    CREATE OR REPLACE FUNCTION core_remember_search_words() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        {remember_words_sql("new_rows")};
        RETURN NULL;
    END
    $$;
"""


def SearchWordFunctions() -> migrations.RunPython:  # noqa: N802
    """The functions the word indexes use, and the dictionary's own indexes: a hash index for
    the triggers' "known already?" (no length limit, unlike a B-tree) and a trigram index
    for "which words contain this?"."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(SEARCH_WORD_FUNCTIONS)
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS core_searchword_word_hash ON core_searchword USING hash (word)"
            )
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS core_searchword_word_trgm ON core_searchword "
                "USING gin (word gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("DROP FUNCTION IF EXISTS core_remember_search_words() CASCADE")
            schema_editor.execute("DROP FUNCTION IF EXISTS core_search_words(text) CASCADE")

    return migrations.RunPython(create, drop, elidable=False)


def SearchWordIndex(*, table: str) -> migrations.RunPython:  # noqa: N802
    """The word index of `table`'s search_text, the triggers that add the words of every row
    inserted or updated to the dictionary, and the words of the rows already there."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_search_words" ON "{table}" '
            "USING gin (core_search_words(search_text))"
        )
        for event in ("INSERT", "UPDATE"):
            schema_editor.execute(
                f'CREATE TRIGGER "{table}_search_words_{event.lower()}" AFTER {event} ON "{table}" '
                "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                "EXECUTE FUNCTION core_remember_search_words()"
            )
        schema_editor.execute(remember_words_sql(f'"{table}"'))

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for event in ("insert", "update"):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_search_words_{event}" ON "{table}"')
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_search_words"')

    return migrations.RunPython(create, drop, elidable=False)
