"""The export runner (core/exports.py): a job's life from queued to done or failed, progress in
steps, the stored file, duplicate deliveries, a broker that does not answer, and the cleanup."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from core import exports
from core.models import ExportJob
from tests.conftest import login

pytestmark = pytest.mark.django_db

ROWS = 40
seen_progress: list[tuple[int, int]] = []


@exports.exporter
def numbers_file(job, progress, path: Path) -> str:
    """Writes one line per number, reading back what the job shows after each row."""
    count = job.parameters["count"]
    progress.start(count)
    with path.open("w") as handle:
        for number in range(count):
            handle.write(f"{number}\n")
            progress.advance()
            seen_progress.append(ExportJob.objects.values_list("progress", "rows_done").get(pk=job.pk))
    return "so-lieu.txt"


@exports.exporter
def broken_file(job, progress, path: Path) -> str:
    path.write_text("half")
    raise RuntimeError("database went away")


@exports.exporter
def area_gone(job, progress, path: Path) -> str:
    raise exports.ExportError("Địa bàn không còn trong phạm vi của bạn.")


def not_an_exporter(job, progress, path):  # no decorator: must never run
    path.write_text("x")
    return "x.txt"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager():
    """Run queued tasks in-process (the broker itself is exercised by the worker test in
    tests/dashboards/test_exports_worker.py)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def owner(make_user):
    return make_user("clerk")


def start(owner, function, django_capture_on_commit_callbacks, **parameters) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.export_start(
            user=owner, exporter_function=function, title="Số liệu thử", parameters=parameters
        )
    job.refresh_from_db()
    return job


def test_a_job_runs_on_commit_reports_progress_in_steps_and_stores_its_file(
    owner, eager, django_capture_on_commit_callbacks, settings
):
    seen_progress.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = exports.export_start(
            user=owner, exporter_function=numbers_file, title="Số liệu thử", parameters={"count": ROWS}
        )
    assert job.status == ExportJob.Status.QUEUED and len(callbacks) == 1  # nothing runs before commit
    callbacks[0]()
    job.refresh_from_db()

    assert job.kind == "tests.core.test_exports.numbers_file"
    assert job.status == ExportJob.Status.DONE
    assert (job.progress, job.rows_total, job.rows_done) == (100, ROWS, ROWS)
    assert job.filename == "so-lieu.txt"
    assert job.file.name.startswith("exports/") and job.file.name.endswith("so-lieu.txt")
    assert job.file.open("rb").read() == "".join(f"{n}\n" for n in range(ROWS)).encode()
    assert job.started_at <= job.finished_at
    # Progress moved in steps of 5 points, never 100 before the file was stored.
    written = sorted({percent for percent, _rows in seen_progress})
    assert written == list(range(0, 100, 5))
    assert len(written) <= 100 // exports.PROGRESS_STEP


def test_a_task_delivered_twice_builds_the_file_once(owner, eager, django_capture_on_commit_callbacks):
    job = start(owner, numbers_file, django_capture_on_commit_callbacks, count=3)
    first_file = job.file.name
    assert exports.export_execute(job_id=job.pk) is None
    assert exports.export_run.apply(args=[job.pk]).get() is None
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.file.name == first_file
    assert len(list((Path(job.file.path).parent).iterdir())) == 1


def test_an_unexpected_error_fails_the_job_with_a_general_message_and_no_file(
    owner, eager, django_capture_on_commit_callbacks, tmp_path
):
    job = start(owner, broken_file, django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.FAILED
    assert job.error == str(exports.FAILED)
    assert "database" not in job.error  # internals stay in the log
    assert not job.file and job.finished_at is not None
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))


def test_an_export_error_shows_its_own_message(owner, eager, django_capture_on_commit_callbacks):
    job = start(owner, area_gone, django_capture_on_commit_callbacks)
    assert (job.status, job.error) == (ExportJob.Status.FAILED, "Địa bàn không còn trong phạm vi của bạn.")


def test_only_decorated_functions_can_be_a_kind(owner):
    with pytest.raises(ValueError):
        exports.export_start(user=owner, exporter_function=not_an_exporter, title="x", parameters={})
    with pytest.raises(ValueError):
        exports.resolve("os.system")
    with pytest.raises(ValueError):
        exports.resolve("no.such.module")
    assert not ExportJob.objects.exists()


def test_a_job_whose_kind_is_not_an_exporter_fails_in_the_worker(owner):
    job = ExportJob.objects.create(requested_by=owner, kind="os.system", title="x")
    exports.export_execute(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (ExportJob.Status.FAILED, str(exports.FAILED))


def test_a_broker_that_does_not_answer_fails_the_job_at_once(
    owner, monkeypatch, django_capture_on_commit_callbacks
):
    def unreachable(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(exports.export_run, "apply_async", unreachable)
    job = start(owner, numbers_file, django_capture_on_commit_callbacks, count=1)
    assert (job.status, job.error) == (ExportJob.Status.FAILED, str(exports.NOT_QUEUED))


def test_cleanup_removes_old_files_keeps_recent_ones_and_fails_stalled_jobs(
    owner, eager, django_capture_on_commit_callbacks, settings
):
    settings.EXPORT_KEEP_DAYS = 3
    old = start(owner, numbers_file, django_capture_on_commit_callbacks, count=2)
    recent = start(owner, numbers_file, django_capture_on_commit_callbacks, count=2)
    old_path = Path(old.file.path)
    now = timezone.now()
    ExportJob.objects.filter(pk=old.pk).update(finished_at=now - timedelta(days=3, minutes=1))
    stalled = ExportJob.objects.create(
        requested_by=owner,
        kind=exports.kind_of(numbers_file),
        title="x",
        status=ExportJob.Status.RUNNING,
        started_at=now - exports.STALLED_AFTER - timedelta(minutes=1),
    )

    assert exports.exports_remove_expired(now=now) == 1

    assert not ExportJob.objects.filter(pk=old.pk).exists() and not old_path.exists()
    recent.refresh_from_db()
    assert recent.status == ExportJob.Status.DONE and Path(recent.file.path).exists()
    stalled.refresh_from_db()
    assert (stalled.status, stalled.error) == (ExportJob.Status.FAILED, str(exports.STALLED))
    # The failed job is kept for the same days as any other, then removed.
    assert exports.exports_remove_expired(now=now + timedelta(days=3, minutes=1)) == 2


def test_a_job_given_up_as_stalled_does_not_come_back_as_done(owner, monkeypatch):
    job = ExportJob.objects.create(
        requested_by=owner, kind=exports.kind_of(numbers_file), title="x", parameters={"count": 1}
    )

    real_store = exports._store

    def store_then_time_out(job, path, filename):
        name = real_store(job, path, filename)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=str(exports.STALLED))
        return name

    monkeypatch.setattr(exports, "_store", store_then_time_out)
    exports.export_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file


def test_owned_by_shows_a_user_their_own_jobs_only(owner, make_user):
    other = make_user("clerk")
    mine = ExportJob.objects.create(requested_by=owner, kind="x", title="mine")
    ExportJob.objects.create(requested_by=other, kind="x", title="theirs")
    assert list(ExportJob.objects.owned_by(owner)) == [mine]


def test_admin_is_for_superusers_only(owner, make_user):
    from tests.factories import UserFactory

    job = ExportJob.objects.create(requested_by=owner, kind="x", title="Danh sách")
    ward_admin = make_user("admin")
    assert login(ward_admin).get(reverse("admin:core_exportjob_changelist")).status_code == 403
    superuser = UserFactory(is_superuser=True, full_name="Quản trị")
    response = login(superuser).get(reverse("admin:core_exportjob_change", args=[job.pk]))
    assert response.status_code == 200
