"""The test database, migrated once and copied (tests/conftest.py's `django_db_setup`).

Running every migration (the data migrations included: reference lists, reminder rules, the
register's numbers) takes about 13 s of one core, and `make test` did it in each xdist worker
at every run. Here the migrations run once into a template database named after a digest of
every installed app's migration files (and Django's version); each worker's test database is
then `CREATE DATABASE … TEMPLATE` of it (well under a second), the same rows, sequences and
tables as if it had migrated itself. A changed, added or removed migration file changes the
digest, so the next run builds a new template and drops the old ones; `--create-db` rebuilds it.

The template is built under a PostgreSQL advisory lock, into a scratch name renamed when the
migrations have finished, so two workers never build it twice and a run stopped halfway
never leaves a half-migrated template behind.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection


def migrations_digest() -> str:
    digest = hashlib.sha256(django.get_version().encode())
    for config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{config.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _build(template: str, verbosity: int) -> None:
    """Migrate a scratch database, then give it the template's name."""
    creation, settings_dict = connection.creation, connection.settings_dict
    scratch = f"{template}_building"
    saved_name, saved_test_name = settings_dict["NAME"], settings_dict["TEST"].get("NAME")
    settings_dict["TEST"]["NAME"] = scratch
    try:
        creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False, keepdb=False)
    finally:
        connection.close()
        settings_dict["NAME"], settings_dict["TEST"]["NAME"] = saved_name, saved_test_name
        settings.DATABASES[connection.alias]["NAME"] = saved_name
    quote = connection.ops.quote_name
    with creation._nodb_cursor() as cursor:
        cursor.execute(f"ALTER DATABASE {quote(scratch)} RENAME TO {quote(template)}")


def test_database_from_template(*, keepdb: bool, rebuild: bool, verbosity: int = 0) -> str:
    """Make this process's test database a copy of the migrated template (built if needed);
    with `keepdb` (--reuse-db) an existing test database is kept as it is. Returns its name."""
    creation = connection.creation
    quote = connection.ops.quote_name
    name = creation._get_test_db_name()
    prefix = f"test_{connection.settings_dict['NAME']}_template_"
    template = f"{prefix}{migrations_digest()}"
    with creation._nodb_cursor() as cursor:
        # One lock per project database: the workers of one run, not other projects' runs.
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [prefix])
        try:
            if keepdb and not rebuild and _exists(cursor, name):
                return name
            if rebuild and _exists(cursor, template):
                cursor.execute(f"DROP DATABASE {quote(template)}")
            if not _exists(cursor, template):
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(template + '_building')}")
                _build(template, verbosity)
                cursor.execute(
                    "SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname <> %s",
                    [prefix, template],
                )
                for (stale,) in cursor.fetchall():
                    with contextlib.suppress(DatabaseError):  # another run still copying it: next time
                        cursor.execute(f"DROP DATABASE IF EXISTS {quote(stale)}")
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [prefix])
    return name
