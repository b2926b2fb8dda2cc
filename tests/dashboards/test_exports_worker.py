"""One export through the real Redis broker to a real Celery worker process: the page starts
it, the worker (a separate process on the test database) builds it, the owner downloads it."""

import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connections
from django.urls import reverse
from openpyxl import load_workbook

from core import exports
from core.models import ExportJob
from petitions.models import CONFIDENTIAL_PETITIONER, Petition
from tests.conclusions.test_reminders import _test_database_url, _wait_for
from tests.conftest import login
from tests.factories import conference_for, petition_for

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_file_and_its_owner_downloads_it(
    ward, make_user, settings, tmp_path, monkeypatch
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    conference = conference_for(ward, status="held")
    for number in range(30):
        petition_for(conference, content=f"Kiến nghị số {number}")
    petition_for(conference, kind=Petition.Kind.DENUNCIATION, petitioner_name="Lê Thị Bímật")
    clerk = make_user("clerk")
    queue = f"exports-test-{uuid.uuid4().hex[:12]}"
    # The page queues on the default queue; this test's worker listens on its own queue so it
    # never takes another engineer's tasks from a shared Redis.
    real_apply_async = exports.export_run.apply_async
    monkeypatch.setattr(
        exports.export_run,
        "apply_async",
        lambda *args, **kwargs: real_apply_async(*args, queue=queue, **kwargs),
    )
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(media),
        "CONN_MAX_AGE": "0",
    }
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "info",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        client = login(clerk)
        response = client.post(reverse("dashboards:export_petitions"))
        job = ExportJob.objects.get()
        assert response["Location"] == reverse("dashboards:export", args=[job.pk])

        def finished():
            job.refresh_from_db()
            return job.is_finished

        assert _wait_for(finished, seconds=40), log_path.read_text()[-3000:]
        assert job.status == ExportJob.Status.DONE, (job.error, log_path.read_text()[-3000:])
        assert (job.progress, job.rows_total, job.rows_done) == (100, 31, 31)
        assert "core.exports.export_run" in log_path.read_text()

        fragment = client.get(reverse("dashboards:export_progress", args=[job.pk])).content.decode()
        assert (
            "hx-trigger" not in fragment and reverse("dashboards:export_download", args=[job.pk]) in fragment
        )
        download = client.get(reverse("dashboards:export_download", args=[job.pk]))
        assert download.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
        petitioners = [row[8].value for row in sheet.iter_rows(min_row=6)]
        assert len(petitioners) == 31 and str(CONFIDENTIAL_PETITIONER) in petitioners
        assert "Lê Thị Bímật" not in petitioners
        assert (
            login(make_user("leader")).get(reverse("dashboards:export_download", args=[job.pk])).status_code
            == 404
        )
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
        connections.close_all()
        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        broker.delete(queue, *broker.keys(f"_kombu.binding*{queue}"))
