"""Migration operations that only mean something on PostgreSQL.

Accent-free search filters a folded `search_text` column with LIKE '%term%'. On PostgreSQL a
GIN trigram index serves that; SQLite (used by `make run`) has no such index and simply scans.
Keeping the index out of the model state (it is created by RunPython) lets one migration file
serve both databases without makemigrations seeing a difference.
"""

from django.db import migrations

# Every search index (GIN) is written to directly, without GIN's pending list ("fast
# update"): with it, rows inserted since the last VACUUM wait in an unsorted list that every
# search reads whole. Autovacuum of a two-million-row table comes after ~400,000 inserts, so
# the list grows to gin_pending_list_limit (4 MB) and is then merged by whichever insert
# fills it. Measured on the national data after 10,000 new opinions (10,000 entries waiting in
# each index): "den duong" 9.7 → 14.0 ms for the word index's lookup, the dictionary's lookup
# 0.26 → 2.4 ms. The price is paid by each insert instead (its words and trigrams put in
# place): 0.75 ms a row inserted alone instead of 0.1, 1,000 rows at once 0.26–0.51 s instead
# of 0.06–0.08 s (both indexes, a scratch table of recent opinions' text).
GIN_OPTIONS = "fastupdate = off"


def GinWithoutPendingList(*indexes: str) -> migrations.RunPython:  # noqa: N802
    """Set GIN_OPTIONS on indexes made before them, and move the entries already waiting into
    the index now (gin_clean_pending_list), not at the next vacuum. An index that is not
    there (dropped by hand on some server) is skipped rather than failing the deploy."""

    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f'ALTER INDEX IF EXISTS "{name}" SET ({GIN_OPTIONS})')
            schema_editor.execute(
                "SELECT gin_clean_pending_list(to_regclass(%s)) WHERE to_regclass(%s) IS NOT NULL",
                [name, name],
            )

    def revert(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name in indexes:
                schema_editor.execute(f'ALTER INDEX IF EXISTS "{name}" RESET (fastupdate)')

    return migrations.RunPython(apply, revert, elidable=False)


def TrigramIndex(*, table: str, column: str = "search_text") -> migrations.RunPython:  # noqa: N802
    name = f"{table}_{column}_trgm"[:63]

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
                f" WITH ({GIN_OPTIONS})"
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
    """Add the words of `rows` (a table, a trigger's transition table, or a subquery) that the
    dictionary does not hold yet. Idempotent: `manage.py search_words` runs it for a table
    written with its triggers off (a load in replica mode, pg_restore --data-only)."""
    return f"""
        INSERT INTO core_searchword (word)
        SELECT DISTINCT w.word
        FROM {rows} AS r, unnest(string_to_array(r.search_text, ' ')) AS w (word)
        WHERE w.word <> '' AND NOT EXISTS (SELECT 1 FROM core_searchword AS k WHERE k.word = w.word)
    """


# The rows of an UPDATE whose search_text changed (transition tables cannot be limited to a
# column): a mass update of statuses then adds nothing and reads no words.
CHANGED_ROWS = """(
    SELECT new_rows.search_text FROM new_rows JOIN old_rows USING (id)
    WHERE new_rows.search_text IS DISTINCT FROM old_rows.search_text
)"""


def SearchWordFunctions(*, indexed_length: int) -> migrations.RunPython:  # noqa: N802
    """The functions the word indexes use, and the dictionary's own indexes: a hash index for
    the triggers' "known already?" (no length limit, unlike a B-tree) and a trigram index
    for "which words contain this?". `indexed_length` is written in the migration, not read
    from core.text: changing SEARCH_WORD_INDEXED_LENGTH takes a migration that replaces
    `core_search_words` and rebuilds the indexes (a test compares the two)."""
    functions = f"""
        CREATE OR REPLACE FUNCTION core_search_words(search_text text) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
            SELECT array_agg(DISTINCT left(word, {int(indexed_length)}))
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
        CREATE OR REPLACE FUNCTION core_remember_changed_search_words() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            {remember_words_sql(CHANGED_ROWS)};
            RETURN NULL;
        END
        $$;
    """

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(functions)
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS core_searchword_word_hash ON core_searchword USING hash (word)"
            )
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS core_searchword_word_trgm ON core_searchword "
                f"USING gin (word gin_trgm_ops) WITH ({GIN_OPTIONS})"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for function in (
                "core_remember_changed_search_words()",
                "core_remember_search_words()",
                "core_search_words(text)",
            ):
                schema_editor.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")

    return migrations.RunPython(create, drop, elidable=False)


def SearchWordIndex(*, table: str) -> migrations.RunPython:  # noqa: N802
    """The triggers that add the words of every row inserted into `table` or updated to the
    dictionary, the words of the rows already there, then the word index of its search_text,
    built CONCURRENTLY (writes go on meanwhile: two million rows take a minute or two): the
    migration must be `atomic = False`. In this order no row written meanwhile is missed, and
    every step can run again."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for event, function, transition in [
            ("INSERT", "core_remember_search_words", "NEW TABLE AS new_rows"),
            ("UPDATE", "core_remember_changed_search_words", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ]:
            schema_editor.execute(
                f'CREATE OR REPLACE TRIGGER "{table}_search_words_{event.lower()}" AFTER {event} ON "{table}" '
                f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
        schema_editor.execute(remember_words_sql(f'"{table}"'))
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{table}_search_words" ON "{table}" '
            f"USING gin (core_search_words(search_text)) WITH ({GIN_OPTIONS})"
        )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for event in ("insert", "update"):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_search_words_{event}" ON "{table}"')
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{table}_search_words"')

    return migrations.RunPython(create, drop, elidable=False)


# Tables with a word index (models with `search_word_index = True`), for the backfill command.
WORD_INDEXED_TABLES = ("petitions_petition",)


# --- regions (per-row scoping of large tables) ----------------------------------------------
# A row's region is the unit one level below the top of the tree above its area (with the
# national unit at the top: its province or centrally-run city), or the area itself at the
# top: the second segment of the area's materialised path, else the first. A scope of exactly
# one region (a province's staff) then filters on `region_id = X`, an indexed equality that
# also keeps an index's order (region, date), where the path filter joins every row to its
# unit and walks the whole country's date index to find the province's newest rows
# (docs/PERFORMANCE.md). Triggers keep the column whatever writes the rows, and follow a unit
# moved to another region.

REGION_OF_SQL = """
    CREATE OR REPLACE FUNCTION core_region_of(path text) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CAST(nullif(coalesce(nullif(substr(path, 12, 10), ''), substr(path, 1, 10)), '') AS bigint)
    $$
"""


def RegionColumn(*, table: str) -> migrations.RunPython:  # noqa: N802
    """For `table` (with `area_id` and a `region_id` column added before): the trigger that sets
    the region of every row inserted or given another area, the trigger on the units that
    follows a unit moved to another region, and the region of the rows already there."""
    set_region, follow = f"{table}_set_region", f"{table}_follow_region"

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(REGION_OF_SQL)
        schema_editor.execute(f"""
            CREATE OR REPLACE FUNCTION {set_region}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.region_id := (SELECT core_region_of(path) FROM accounts_orgunit WHERE id = NEW.area_id);
                RETURN NEW;
            END $$
        """)
        schema_editor.execute(
            f'CREATE OR REPLACE TRIGGER "{set_region}" BEFORE INSERT OR UPDATE OF area_id ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {set_region}()"
        )
        schema_editor.execute(f"""
            CREATE OR REPLACE FUNCTION {follow}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE "{table}" SET region_id = core_region_of(NEW.path) WHERE area_id = NEW.id;
                RETURN NULL;
            END $$
        """)
        schema_editor.execute(
            f'CREATE OR REPLACE TRIGGER "{follow}" AFTER UPDATE OF path ON accounts_orgunit FOR EACH ROW '
            f"WHEN (core_region_of(OLD.path) IS DISTINCT FROM core_region_of(NEW.path)) "
            f"EXECUTE FUNCTION {follow}()"
        )
        schema_editor.execute(
            f'UPDATE "{table}" AS row SET region_id = core_region_of(unit.path) '
            "FROM accounts_orgunit AS unit WHERE unit.id = row.area_id "
            "AND row.region_id IS DISTINCT FROM core_region_of(unit.path)"
        )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{follow}" ON accounts_orgunit')
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{set_region}" ON "{table}"')
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {follow}()")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {set_region}()")

    return migrations.RunPython(create, drop, elidable=False)
