"""Files built in the background: the runner behind every large export.

A page calls `export_start(...)`: it records an `ExportJob` (queued) and, once the transaction
commits, queues `export_run`. The worker claims the job (queued → running, one UPDATE, so a task
delivered twice builds the file once), calls the job's *exporter* with a temporary file and a
progress reporter, stores the file through the storage API (local media or S3) and marks the job
done; any error marks it failed with a message the user can read. `exports_cleanup` (beat,
daily) deletes files older than `EXPORT_KEEP_DAYS` days and fails jobs whose worker died.

An exporter is a function decorated with `@exporter`; the job's `kind` is its dotted path
("dashboards.report_xlsx.petitions_workbook"). Only decorated functions run, so a kind can never
name an arbitrary callable. `core` imports no domain app: the exporters live in the apps above,
and the job's owner is handed to them so they scope every query with `visible_to(owner)`.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from core.models import ExportJob

logger = logging.getLogger(__name__)

# Progress is written to the database when it has moved by this many points: at most about
# 100 / PROGRESS_STEP small UPDATEs per job, however many rows.
PROGRESS_STEP = 5
# Without a known total (a streamed query), rows_done is written every so many rows.
ROWS_PER_WRITE = 5000
DEFAULT_KEEP_DAYS = 7
STALLED_AFTER = timedelta(hours=2)

NOT_QUEUED = _("Không gửi được yêu cầu tới bộ phận xử lý nền. Hãy thử lại sau ít phút.")
FAILED = _("Không tạo được tệp do lỗi hệ thống. Hãy thử lại; nếu vẫn lỗi, hãy báo quản trị hệ thống.")
STALLED = _("Việc tạo tệp bị gián đoạn (máy xử lý nền dừng giữa chừng). Hãy tạo lại.")
UNKNOWN_KIND = "Not an exporter: %s"
TOO_MANY_RUNNING = _(
    "Bạn đang có %(count)s tệp chờ tạo hoặc đang tạo. Hãy đợi một tệp xong rồi yêu cầu tệp mới."
)
DEFAULT_RUNNING_PER_USER = 3


class ExportError(Exception):
    """An error whose message is written for the user (e.g. "the area no longer exists")."""


Exporter = Callable[["ExportJob", "ExportProgress", Path], str]


def exporter(function: Exporter) -> Exporter:
    """Mark `function(job, progress, path) -> download file name` as an exporter: it writes the
    file at `path`, calls `progress.start(total)` and `progress.advance(rows)` as it goes, and
    returns the name the user downloads it under."""
    function.is_exporter = True
    return function


def kind_of(function: Exporter) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def resolve(kind: str) -> Exporter:
    try:
        function = import_string(kind)
    except ImportError as error:
        raise ValueError(UNKNOWN_KIND % kind) from error
    if not getattr(function, "is_exporter", False):
        raise ValueError(UNKNOWN_KIND % kind)
    return function


class ExportProgress:
    """Counts rows as the exporter writes them and writes the percentage to the job now and
    then, on its own (autocommitted) UPDATE, so the page polling it sees it move."""

    def __init__(self, job: ExportJob):
        self.job = job
        self.total: int | None = None
        self.done = 0
        self._written_percent = 0
        self._written_done = 0

    def start(self, total: int | None) -> None:
        self.total = total
        ExportJob.objects.filter(pk=self.job.pk).update(rows_total=total)

    def advance(self, rows: int = 1) -> None:
        self.done += rows
        if self.total:
            # 99 at most until the file is stored: "100" means it can be downloaded.
            percent = min(99, self.done * 100 // self.total)
            if percent - self._written_percent >= PROGRESS_STEP:
                self._write(percent)
        elif self.done - self._written_done >= ROWS_PER_WRITE:
            self._write(self._written_percent)

    def _write(self, percent: int) -> None:
        self._written_percent, self._written_done = percent, self.done
        ExportJob.objects.filter(pk=self.job.pk).update(progress=percent, rows_done=self.done)


# --- starting ---------------------------------------------------------------------------


@transaction.atomic
def export_start(*, user, exporter_function: Exporter, title: str, parameters: dict) -> ExportJob:
    """Record the job and queue it once the transaction commits (never before: the worker
    must find the row). A user has at most EXPORT_RUNNING_PER_USER jobs queued or running
    at once (ValidationError beyond): one person must not fill the workers' queue."""
    kind = kind_of(exporter_function)
    resolve(kind)  # a programming error shows up here, in the request, not in the worker
    # The user's row is locked so that two requests at the same moment count each other.
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    limit = getattr(settings, "EXPORT_RUNNING_PER_USER", DEFAULT_RUNNING_PER_USER)
    # A job older than STALLED_AFTER lost its worker (the nightly sweep fails it): not counted.
    running = (
        ExportJob.objects.owned_by(user)
        .filter(status__in=ExportJob.ACTIVE_STATUSES, created_at__gte=timezone.now() - STALLED_AFTER)
        .count()
    )
    if running >= limit:
        raise ValidationError(TOO_MANY_RUNNING, code="too_many_exports", params={"count": running})
    job = ExportJob.objects.create(requested_by=user, kind=kind, title=title[:255], parameters=parameters)
    transaction.on_commit(lambda: export_queue(job.pk))
    return job


def export_queue(job_id: int) -> bool:
    """Send the job to the broker; if the broker does not answer, fail the job at once with a
    message (the user may start it again) rather than leave it waiting forever."""
    try:
        export_run.apply_async(args=[job_id], retry=False)
    except Exception:
        logger.warning("Export %s not queued", job_id, exc_info=True)
        _fail(job_id, str(NOT_QUEUED))
        return False
    return True


# --- running ----------------------------------------------------------------------------


def _claim(job_id: int) -> ExportJob | None:
    """queued → running in one UPDATE: a task delivered twice (acks_late, a retry) finds the
    job already claimed and returns."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now(), progress=0
    )
    if not claimed:
        return None
    return ExportJob.objects.select_related("requested_by__agency__area").get(pk=job_id)


def _fail(job_id: int, message: str) -> None:
    ExportJob.objects.filter(pk=job_id).exclude(status=ExportJob.Status.DONE).update(
        status=ExportJob.Status.FAILED, error=message, finished_at=timezone.now()
    )


def _store(job: ExportJob, path: Path, filename: str) -> str:
    field = job.file
    with path.open("rb") as handle:
        return field.storage.save(field.field.generate_filename(job, filename), File(handle), max_length=255)


def export_execute(*, job_id: int) -> ExportJob | None:
    """Build, store and finish one job; None when there was nothing to do."""
    job = _claim(job_id)
    if job is None:
        return None
    stored = ""
    try:
        build = resolve(job.kind)
        with tempfile.TemporaryDirectory(prefix="export-") as folder:
            path = Path(folder) / "export"
            progress = ExportProgress(job)
            filename = build(job, progress, path)
            stored = _store(job, path, filename)
        finished = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.DONE,
            progress=100,
            rows_done=progress.done,
            file=stored,
            filename=filename,
            finished_at=timezone.now(),
        )
        if not finished:  # given up as stalled meanwhile: its owner was told to start again
            job.file.storage.delete(stored)
    except Exception as error:
        logger.exception("Export %s (%s) failed", job.pk, job.kind)
        if stored:
            job.file.storage.delete(stored)
        _fail(job.pk, str(error) if isinstance(error, ExportError) else str(FAILED))
    job.refresh_from_db()
    return job


@shared_task(name="core.exports.export_run")
def export_run(job_id: int) -> str | None:
    job = export_execute(job_id=job_id)
    return job.status if job else None


# --- cleaning up ------------------------------------------------------------------------


def keep_days() -> int:
    return getattr(settings, "EXPORT_KEEP_DAYS", DEFAULT_KEEP_DAYS)


def exports_remove_expired(*, now=None) -> int:
    """Delete the files and rows of jobs finished more than `keep_days()` days ago, and fail
    the jobs whose worker died while running them. Returns how many jobs were removed."""
    now = now or timezone.now()
    for job_id in ExportJob.objects.stalled(now - STALLED_AFTER).values_list("pk", flat=True):
        _fail(job_id, str(STALLED))
    removed = 0
    expired = ExportJob.objects.expired(now - timedelta(days=keep_days())).only("pk", "file")
    for job in expired.iterator(chunk_size=500):
        if job.file:
            job.file.storage.delete(job.file.name)
        ExportJob.objects.filter(pk=job.pk).delete()
        removed += 1
    return removed


@shared_task(name="core.exports.exports_cleanup")
def exports_cleanup() -> int:
    return exports_remove_expired()
