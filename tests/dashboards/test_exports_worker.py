"""One export through the real Redis broker to a real Celery worker process: the page starts
it, the worker (a separate process on the test database) builds it, the owner downloads it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import exports
from core.models import ExportJob
from petitions.models import CONFIDENTIAL_PETITIONER, Petition
from tests.conftest import login
from tests.factories import conference_for, petition_for
from tests.workers import celery_workers, private_queue, wait_for


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
    queue = private_queue("exports")
    # The page queues on the default queue; this test's worker listens on its own queue so it
    # never takes another engineer's tasks from a shared Redis.
    real_apply_async = exports.export_run.apply_async
    monkeypatch.setattr(
        exports.export_run,
        "apply_async",
        lambda *args, **kwargs: real_apply_async(*args, queue=queue, **kwargs),
    )
    with celery_workers(queue, log_dir=tmp_path, MEDIA_ROOT=str(media)) as [log_path]:
        client = login(clerk)
        response = client.post(reverse("dashboards:export_petitions"))
        job = ExportJob.objects.get()
        assert response["Location"] == reverse("dashboards:export", args=[job.pk])

        def finished():
            job.refresh_from_db()
            return job.is_finished

        assert wait_for(finished, seconds=40), log_path.read_text()[-3000:]
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
