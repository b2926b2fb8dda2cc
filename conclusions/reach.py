"""The regions an assignment reaches besides its area's (`AssignmentReach`), kept by
PostgreSQL triggers.

An assignment is visible to an area's staff through its area and also through its lead
agency, its coordinating agencies and its responsible person's agency (a national notice
assigning a province's department; a province's notice giving a ward's committee a part).
`Assignment.region` (core.migration_ops.RegionColumn) answers the first for a province's
staff; this table answers the other three: one row (assignment, region) for each region
reached through them that is not the area's own. Almost every assignment reaches nothing
outside its area's region, so the table holds the few that cross, and a province's scope is
`region_id = X OR id = ANY(the assignments reaching X)` (AssignmentQuerySet.visible_to).

What a row depends on lives on five tables, and rows arrive through the services, the admin,
`bulk_create`, raw SQL and bulk loads alike, so triggers keep it, each recomputing the rows
of the assignments it touches from the units' current paths (never from another trigger's
output, so their order does not matter):
- the assignments: inserted, given another area, lead agency or responsible person, deleted;
- the coordinating agencies (the through table): added, removed, changed;
- the users: given another agency (the responsible person's agency reaches);
- the units: moved to another region (`core_region_of` of the path changes).
A load that fires no trigger (`bench/scale.py` in replica mode) runs `REACH_FILL_SQL` after it.
"""

from django.db import migrations

REACH_TABLE = "conclusions_assignmentreach"
COORDINATION_TABLE = "conclusions_assignment_coordinating_agencies"


def _reached_sql(assignments: str) -> str:
    """The (assignment, region) pairs of the assignments `assignments` (a condition on `a`)
    whose lead agency, coordinating agency or responsible person's agency lies in a region
    other than their area's."""
    return f"""
        SELECT DISTINCT reached.assignment_id, core_region_of(unit.path)
        FROM (
            SELECT a.id, a.area_id, a.lead_agency_id FROM conclusions_assignment AS a WHERE {assignments}
            UNION ALL
            SELECT a.id, a.area_id, c.orgunit_id FROM conclusions_assignment AS a
                JOIN {COORDINATION_TABLE} AS c ON c.assignment_id = a.id WHERE {assignments}
            UNION ALL
            SELECT a.id, a.area_id, person.agency_id FROM conclusions_assignment AS a
                JOIN accounts_user AS person ON person.id = a.responsible_person_id WHERE {assignments}
        ) AS reached (assignment_id, area_id, unit_id)
        JOIN accounts_orgunit AS unit ON unit.id = reached.unit_id
        JOIN accounts_orgunit AS area ON area.id = reached.area_id
        WHERE core_region_of(unit.path) IS NOT NULL
          AND core_region_of(unit.path) IS DISTINCT FROM core_region_of(area.path)
    """


REACH_FUNCTIONS_SQL = f"""
    CREATE OR REPLACE FUNCTION conclusions_reach_refresh(ids bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
        IF cardinality(ids) = 0 THEN
            RETURN;
        END IF;
        DELETE FROM {REACH_TABLE} WHERE assignment_id = ANY(ids);
        INSERT INTO {REACH_TABLE} (assignment_id, region_id) {_reached_sql("a.id = ANY(ids)")};
    END $$;

    CREATE OR REPLACE FUNCTION conclusions_reach_inserted() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM conclusions_reach_refresh(ARRAY(SELECT id FROM new_rows));
        RETURN NULL;
    END $$;

    CREATE OR REPLACE FUNCTION conclusions_reach_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM conclusions_reach_refresh(ARRAY[NEW.id]);
        RETURN NULL;
    END $$;

    CREATE OR REPLACE FUNCTION conclusions_reach_deleted() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM {REACH_TABLE} WHERE assignment_id IN (SELECT id FROM old_rows);
        RETURN NULL;
    END $$;

    -- The through table: the assignments of the rows added, removed or changed.
    CREATE OR REPLACE FUNCTION conclusions_reach_coordination_added() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM conclusions_reach_refresh(ARRAY(SELECT DISTINCT assignment_id FROM new_rows));
        RETURN NULL;
    END $$;

    CREATE OR REPLACE FUNCTION conclusions_reach_coordination_removed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM conclusions_reach_refresh(ARRAY(SELECT DISTINCT assignment_id FROM old_rows));
        RETURN NULL;
    END $$;

    CREATE OR REPLACE FUNCTION conclusions_reach_coordination_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM conclusions_reach_refresh(ARRAY(
            SELECT assignment_id FROM old_rows UNION SELECT assignment_id FROM new_rows
        ));
        RETURN NULL;
    END $$;

    CREATE OR REPLACE FUNCTION conclusions_reach_person_moved() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM conclusions_reach_refresh(ARRAY(
            SELECT id FROM conclusions_assignment WHERE responsible_person_id = NEW.id
        ));
        RETURN NULL;
    END $$;

    -- A unit moved to another region: every assignment it is the area, lead, coordinating
    -- agency or responsible person's agency of (each an indexed lookup).
    CREATE OR REPLACE FUNCTION conclusions_reach_unit_moved() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM conclusions_reach_refresh(ARRAY(
            SELECT id FROM conclusions_assignment WHERE area_id = NEW.id
            UNION SELECT id FROM conclusions_assignment WHERE lead_agency_id = NEW.id
            UNION SELECT assignment_id FROM {COORDINATION_TABLE} WHERE orgunit_id = NEW.id
            UNION SELECT a.id FROM conclusions_assignment AS a
                JOIN accounts_user AS person ON person.id = a.responsible_person_id
                WHERE person.agency_id = NEW.id
        ));
        RETURN NULL;
    END $$;
"""

REACH_TRIGGERS_SQL = f"""
    CREATE OR REPLACE TRIGGER conclusions_reach_inserted
        AFTER INSERT ON conclusions_assignment REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION conclusions_reach_inserted();
    CREATE OR REPLACE TRIGGER conclusions_reach_changed
        AFTER UPDATE OF area_id, lead_agency_id, responsible_person_id ON conclusions_assignment
        FOR EACH ROW WHEN (
            OLD.area_id IS DISTINCT FROM NEW.area_id
            OR OLD.lead_agency_id IS DISTINCT FROM NEW.lead_agency_id
            OR OLD.responsible_person_id IS DISTINCT FROM NEW.responsible_person_id
        )
        EXECUTE FUNCTION conclusions_reach_changed();
    CREATE OR REPLACE TRIGGER conclusions_reach_deleted
        AFTER DELETE ON conclusions_assignment REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION conclusions_reach_deleted();
    CREATE OR REPLACE TRIGGER conclusions_reach_coordination_added
        AFTER INSERT ON {COORDINATION_TABLE} REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION conclusions_reach_coordination_added();
    CREATE OR REPLACE TRIGGER conclusions_reach_coordination_removed
        AFTER DELETE ON {COORDINATION_TABLE} REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION conclusions_reach_coordination_removed();
    CREATE OR REPLACE TRIGGER conclusions_reach_coordination_changed
        AFTER UPDATE ON {COORDINATION_TABLE} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION conclusions_reach_coordination_changed();
    CREATE OR REPLACE TRIGGER conclusions_reach_person_moved
        AFTER UPDATE OF agency_id ON accounts_user FOR EACH ROW
        WHEN (OLD.agency_id IS DISTINCT FROM NEW.agency_id)
        EXECUTE FUNCTION conclusions_reach_person_moved();
    CREATE OR REPLACE TRIGGER conclusions_reach_unit_moved
        AFTER UPDATE OF path ON accounts_orgunit FOR EACH ROW
        WHEN (core_region_of(OLD.path) IS DISTINCT FROM core_region_of(NEW.path))
        EXECUTE FUNCTION conclusions_reach_unit_moved();
"""

_TRIGGERS = [
    ("conclusions_reach_inserted", "conclusions_assignment"),
    ("conclusions_reach_changed", "conclusions_assignment"),
    ("conclusions_reach_deleted", "conclusions_assignment"),
    ("conclusions_reach_coordination_added", COORDINATION_TABLE),
    ("conclusions_reach_coordination_removed", COORDINATION_TABLE),
    ("conclusions_reach_coordination_changed", COORDINATION_TABLE),
    ("conclusions_reach_person_moved", "accounts_user"),
    ("conclusions_reach_unit_moved", "accounts_orgunit"),
]

# Every assignment's rows from scratch, set-based (hash joins over the whole table: seconds
# for a million assignments). Run after a load that fired no trigger; safe to run again.
REACH_FILL_SQL = [
    f"DELETE FROM {REACH_TABLE}",
    f"INSERT INTO {REACH_TABLE} (assignment_id, region_id) {_reached_sql('TRUE')}",
]


def reach_fill(cursor) -> None:
    for statement in REACH_FILL_SQL:
        cursor.execute(statement)


def ReachRows() -> migrations.RunPython:  # noqa: N802
    """The functions and triggers, then the rows of the assignments already there. Needs
    `core_region_of` (core.migration_ops.RegionColumn, run before it)."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(REACH_FUNCTIONS_SQL)
        schema_editor.execute(REACH_TRIGGERS_SQL)
        with schema_editor.connection.cursor() as cursor:
            reach_fill(cursor)

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for trigger, table in _TRIGGERS:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS {trigger} ON "{table}"')
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {trigger}()")
        schema_editor.execute("DROP FUNCTION IF EXISTS conclusions_reach_refresh(bigint[])")

    return migrations.RunPython(create, drop, elidable=False)
