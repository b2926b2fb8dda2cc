"""The day each assignment arose (`Assignment.arises_on`), kept by PostgreSQL triggers.

An assignment arises on the day its notice's conference was held; a notice without a
conference, on the notice's day of issue; an assignment without a notice (a written
petition, a reopened opinion), on its own `deadline_from` — the three cases of
`AssignmentQuerySet.arising_in`. Those days live on three tables and change after the
assignment is made (a draft notice is issued; a conference's day is set), and rows arrive
through the services, the admin and bulk loads alike, so triggers keep the column rather
than the services: one on the assignments (a row inserted or given another notice or
`deadline_from`), one on the notices (issued, or given another conference) and one on the
conferences (their day set or moved). A load that fires no trigger (`bench/scale.py` in
replica mode) writes the column itself; `ARISES_ON_FILL_SQL` fills it again.
"""

from django.db import migrations

ARISES_ON_FUNCTIONS_SQL = """
    CREATE OR REPLACE FUNCTION conclusions_assignment_set_arises_on() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.notice_id IS NULL THEN
            NEW.arises_on := NEW.deadline_from;
        ELSE
            NEW.arises_on := (
                SELECT CASE WHEN notice.conference_id IS NULL THEN notice.issued_on ELSE conference.held_on END
                FROM conclusions_conclusionnotice AS notice
                LEFT JOIN dialogue_conference AS conference ON conference.id = notice.conference_id
                WHERE notice.id = NEW.notice_id
            );
        END IF;
        RETURN NEW;
    END $$;

    CREATE OR REPLACE FUNCTION conclusions_notice_follow_arises_on() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        day date := CASE WHEN NEW.conference_id IS NULL THEN NEW.issued_on
                    ELSE (SELECT held_on FROM dialogue_conference WHERE id = NEW.conference_id) END;
    BEGIN
        UPDATE conclusions_assignment SET arises_on = day
        WHERE notice_id = NEW.id AND arises_on IS DISTINCT FROM day;
        RETURN NULL;
    END $$;

    CREATE OR REPLACE FUNCTION conclusions_conference_follow_arises_on() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE conclusions_assignment AS assignment SET arises_on = NEW.held_on
        FROM conclusions_conclusionnotice AS notice
        WHERE notice.conference_id = NEW.id AND assignment.notice_id = notice.id
          AND assignment.arises_on IS DISTINCT FROM NEW.held_on;
        RETURN NULL;
    END $$;
"""

ARISES_ON_TRIGGERS_SQL = """
    CREATE OR REPLACE TRIGGER conclusions_assignment_set_arises_on
        BEFORE INSERT OR UPDATE OF notice_id, deadline_from ON conclusions_assignment
        FOR EACH ROW EXECUTE FUNCTION conclusions_assignment_set_arises_on();
    CREATE OR REPLACE TRIGGER conclusions_notice_follow_arises_on
        AFTER UPDATE OF issued_on, conference_id ON conclusions_conclusionnotice FOR EACH ROW
        WHEN (OLD.issued_on IS DISTINCT FROM NEW.issued_on OR OLD.conference_id IS DISTINCT FROM NEW.conference_id)
        EXECUTE FUNCTION conclusions_notice_follow_arises_on();
    CREATE OR REPLACE TRIGGER conclusions_conference_follow_arises_on
        AFTER UPDATE OF held_on ON dialogue_conference FOR EACH ROW
        WHEN (OLD.held_on IS DISTINCT FROM NEW.held_on)
        EXECUTE FUNCTION conclusions_conference_follow_arises_on();
"""

# Every row's day, set-based (one pass over the assignments joined to their notices and
# conferences); rows already right are left alone, so it can run again.
ARISES_ON_FILL_SQL = [
    """
    UPDATE conclusions_assignment AS assignment
    SET arises_on = CASE WHEN notice.conference_id IS NULL THEN notice.issued_on ELSE conference.held_on END
    FROM conclusions_conclusionnotice AS notice
    LEFT JOIN dialogue_conference AS conference ON conference.id = notice.conference_id
    WHERE notice.id = assignment.notice_id
      AND assignment.arises_on IS DISTINCT FROM
          CASE WHEN notice.conference_id IS NULL THEN notice.issued_on ELSE conference.held_on END
    """,
    """
    UPDATE conclusions_assignment SET arises_on = deadline_from
    WHERE notice_id IS NULL AND arises_on IS DISTINCT FROM deadline_from
    """,
]


def arises_on_fill(cursor) -> None:
    for statement in ARISES_ON_FILL_SQL:
        cursor.execute(statement)


def ArisesOnColumn() -> migrations.RunPython:  # noqa: N802
    """The triggers, then the day of the rows already there (a million rows: minutes)."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(ARISES_ON_FUNCTIONS_SQL)
        schema_editor.execute(ARISES_ON_TRIGGERS_SQL)
        with schema_editor.connection.cursor() as cursor:
            arises_on_fill(cursor)

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS conclusions_conference_follow_arises_on ON dialogue_conference;"
            "DROP TRIGGER IF EXISTS conclusions_notice_follow_arises_on ON conclusions_conclusionnotice;"
            "DROP TRIGGER IF EXISTS conclusions_assignment_set_arises_on ON conclusions_assignment;"
            "DROP FUNCTION IF EXISTS conclusions_conference_follow_arises_on();"
            "DROP FUNCTION IF EXISTS conclusions_notice_follow_arises_on();"
            "DROP FUNCTION IF EXISTS conclusions_assignment_set_arises_on();"
        )

    return migrations.RunPython(create, drop, elidable=False)
