"""Shared fixtures. Tests run on PostgreSQL and Redis (see `make test`), never SQLite."""

import os

import pytest
from django.core.cache import cache
from django.db import transaction
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.test import Client

from tests.factories import OrgUnitFactory, UserFactory, ward_with_bodies

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests around it are still synchronous, so Django's async-safety guard is lifted for tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_keepdb, django_db_createdb,
                    django_db_modify_db_settings):  # fmt: skip
    """pytest-django's own, except that the test database is a copy of a template migrated once
    (tests/database_template.py) instead of migrated afresh in every process."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from tests.database_template import test_database_from_template

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        test_database_from_template(keepdb=django_db_keepdb, rebuild=django_db_createdb, verbosity=verbosity)
        # keepdb: the copy exists and is migrated; Django only checks that no migration is left.
        config = setup_databases(verbosity=verbosity, interactive=False, keepdb=True, aliases=aliases,
                                 serialized_aliases=serialized_aliases)  # fmt: skip
        # Committed once here, so a test in a transaction finds the reference lists as the
        # migrations left them (also in a database kept by --reuse-db after a committing
        # test emptied it).
        reference_data_ensure()
    _reference_data_state["intact"] = True
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=verbosity, keepdb=False)


def _flush_by_delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """A committing test ends with Django's flush: PostgreSQL's TRUNCATE of the ~90 tables
    gives each table and index a new file (~0.7 s a test); DELETE of the few rows a test
    leaves takes ~0.04 s. Foreign keys are checked by triggers, which the replica role skips
    for this transaction only, so the tables may be emptied in any order."""
    if not tables or reset_sequences:
        return _truncate_flush(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    quote = self.quote_name
    return [
        "SET LOCAL session_replication_role = replica",
        *(f"DELETE FROM {quote(table)}" for table in tables),
    ]


_truncate_flush = PostgresOperations.sql_flush
PostgresOperations.sql_flush = _flush_by_delete


@pytest.fixture
def media(settings, tmp_path):
    """Stored files (issued documents' PDFs) on the local disk of this test, whatever storage
    the settings name (S3 in production)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def unsigned(media, settings):
    """Issued documents go out unsigned (no signing backend), their files kept by `media`."""
    settings.DOCUMENT_SIGNING_BACKEND = ""


_settings_media_root: list = []  # MEDIA_ROOT as the settings give it (pytest_configure)


@pytest.fixture(autouse=True)
def _nothing_left_by_other_tests(request, settings):
    """Nothing a test or an earlier run leaves behind reaches the next test:

    - stored files go to a directory of the test's own, so an upload keeps its name (a name
      already taken gets Django's "_a1B2c3d" suffix, and a page test looking for the file by
      name failed on the second run in one checkout). A module that shares its stored files
      between its tests (the denouncer crawler's case) overrides MEDIA_ROOT for the module,
      and keeps it;
    - the cache starts empty: it is Redis, shared by every run on the machine, and the public
      tracking page's rate limit counts there (a page test was refused its lookup because a
      run a few minutes before had used the limit up), as do the cached dashboards."""
    if _settings_media_root[0] == settings.MEDIA_ROOT:  # not overridden for the module
        settings.MEDIA_ROOT = request.getfixturevalue("tmp_path") / "media"
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_dashboards(settings):
    """Dashboard figures are cached in Redis, shared by every test: tests compute them afresh
    (tests/dashboards/test_cache.py turns the cache on)."""
    settings.DASHBOARD_CACHE_SECONDS = 0


# Whether this process's test database holds the reference lists as committed: true after
# django_db_setup, false once a committing test has run (its flush empties every table).
_reference_data_state = {"intact": False}


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests empty every table when they end, data migrations included: put
    the reference lists (bases, requirements, categories, reminder rules) back for each test
    that uses the database after one of them has run. A test in a transaction (rolled back)
    only reads what django_db_setup committed (~40 ms of 36 queries saved per test)."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & names
    if not uses_db:
        return
    committing = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & names
    )
    request.getfixturevalue("transactional_db" if committing else "db")
    if committing:
        _reference_data_state["intact"] = False  # the flush after this test empties the tables
    if committing or not _reference_data_state["intact"]:
        reference_data_ensure()


def reference_data_ensure() -> None:
    from django.contrib.contenttypes.models import ContentType

    from conclusions.reminders import rules_ensure
    from dialogue import defaults as dialogue_defaults
    from dialogue.models import ConferenceBasis, ConferenceRequirement
    from petitions import defaults as petition_defaults
    from petitions.models import Category

    # A flush gives the content types new ids: a process's cache of the old ones made the
    # admin's "view on site" links point at another model (seen under pytest-xdist).
    ContentType.objects.clear_cache()
    dialogue_defaults.ensure(ConferenceBasis, ConferenceRequirement)
    petition_defaults.ensure(Category)
    rules_ensure()


def data_shared_by_the_module(django_db_blocker, build):
    """Build data once for the tests of a module that only read it, as Django's
    TestCase.setUpTestData does: `build()` runs inside a transaction that is never committed.
    Each test's own transaction (pytest-django's `db`) is a savepoint inside it, rolled back
    after the test, so what a test adds is gone for the next; the whole is rolled back after
    the module. As in a test, on_commit callbacks never run. In a module-scoped fixture:

        @pytest.fixture(scope="module")
        def world(django_db_setup, django_db_blocker):
            yield from data_shared_by_the_module(django_db_blocker, build_world)
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            reference_data_ensure()
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def city(db):
    return OrgUnitFactory(name="Thành phố Hà Nội", kind="city", symbol="TP")


@pytest.fixture
def ward(city):
    return ward_with_bodies(city, "Bồ Đề")


@pytest.fixture
def other_ward(city):
    return ward_with_bodies(city, "Cầu Giấy")


def login(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def make_user(ward):
    """make_user("clerk") → a user of the ward's People's Committee holding that role."""

    def make(*roles: str, agency=None, **fields):
        flags = {f"is_{'sysadmin' if role == 'admin' else role}": True for role in roles}
        return UserFactory(agency=agency or ward.bodies["UBND"], **flags, **fields)

    return make


def pytest_configure(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine or not settings.REDIS_URL:
        pytest.exit("The tests run on PostgreSQL and Redis: use `make test` (see README).", returncode=2)
    _settings_media_root.append(settings.MEDIA_ROOT)


# The modules whose tests take the longest (`--durations`, docs/ARCHITECTURE.md "Tests"), longest
# first. Under xdist a worker that takes one of them last keeps the run waiting while the other
# is idle; given out first, they are spread over both workers and the many short tests fill
# the gaps at the end (longest-processing-time-first scheduling).
LONGEST_FIRST = (
    "tests/test_fuzz_api.py",  # one test, ~45 s
    "tests/test_fuzz_params.py",  # ~40 s for each role that sends every parameter alone
    "tests/test_denouncer_protection.py",  # ~20 s to build its data in each worker, then 5-15 s a role
    "tests/browser/test_evening_pages.py",  # axe on every role's pages, ~30 s
    "tests/deploy/test_backup.py",
    "tests/registers/test_migration.py",
    "tests/core/test_demo.py",
    "tests/loop/test_demo_loop.py",
    "tests/messaging/test_delivery.py",  # real Celery workers
    "tests/conclusions/test_reminders.py",
    "tests/accounts/test_load_areas.py",
    "tests/browser/",
    "tests/dashboards/test_exports_worker.py",
    "tests/conclusions/test_services.py",  # a committing test with the broker down, ~12 s
    "tests/registers/test_services.py",
)


def pytest_collection_modifyitems(config, items):
    """Longest modules first within each of pytest-django's groups (tests on the database in
    a transaction, then those that commit, then those without a database), whose order is
    kept: a committing test empties the tables when it ends. Each module stays in one piece
    (its module-scoped data is built once per worker)."""

    def group(item) -> int:
        marker = item.get_closest_marker("django_db")
        names = set(item.fixturenames)
        if (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & names:
            return 1
        return 0 if marker or "db" in names else 2

    def rank(item) -> int:
        path = item.nodeid.split("::")[0]
        return next(
            (i for i, heavy in enumerate(LONGEST_FIRST) if path.startswith(heavy)), len(LONGEST_FIRST)
        )

    items.sort(key=lambda item: (group(item), rank(item)))
    xdist_groups_named(config, items)


def xdist_groups_named(config, items) -> None:
    """`--dist loadgroup` sends the tests whose id ends in "@<group>" to one worker; pytest-xdist
    3.8 adds that suffix (from `pytest.mark.xdist_group`) to `item._nodeid`, which pytest 9 no
    longer reads (it keeps a NodeId in `item._id`), so every group was spread over both
    workers. Named here, unless xdist already did."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        if names and "@" not in item.nodeid.rpartition("]")[2]:
            grouped = f"{item.nodeid}@{'_'.join(sorted(names))}"
            if hasattr(item, "_id"):  # pytest 9 keeps the id as a NodeId, not the _nodeid string
                from _pytest.nodeid import coerce_node_id

                item._id = coerce_node_id(grouped)
            else:
                item._nodeid = grouped
