"""Background exports from the pages (dashboards/report_views.py, report_xlsx.py): start a job
with the list's filters, watch it by htmx polling, download it as its owner only; no denouncer's
identity in any file. Tasks run eagerly here; tests/dashboards/test_exports_worker.py runs one
in a real worker."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from config.celery import app as celery_app
from core.models import ExportJob
from dashboards import report_views
from dashboards.report_xlsx import CONFIDENTIALITY_NOTE
from petitions.models import CONFIDENTIAL_PETITIONER, Petition
from tests.conftest import login
from tests.dashboards import test_reports
from tests.dashboards.test_reports import DENOUNCER, TODAY
from tests.factories import conference_for, petition_for

pytestmark = pytest.mark.django_db

area_tree = test_reports.area_tree  # the same data as the report tests


@pytest.fixture(autouse=True)
def _eager_and_media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(report_views.timezone, "localdate", lambda: TODAY)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def start(client, url, django_capture_on_commit_callbacks, data=None):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data or {})
    assert response.status_code == 302
    job = ExportJob.objects.latest("pk")
    assert response["Location"] == reverse("dashboards:export", args=[job.pk])
    job.refresh_from_db()
    return job


def workbook_of(client, job):
    response = client.get(reverse("dashboards:export_download", args=[job.pk]))
    assert response.status_code == 200
    assert f'filename="{job.filename}"' in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_petition_export_follows_the_list_filters_and_hides_denouncers(
    area_tree, make_user, django_capture_on_commit_callbacks
):
    clerk = make_user("clerk")
    client = login(clerk)
    job = start(client, reverse("dashboards:export_petitions"), django_capture_on_commit_callbacks)
    assert (job.status, job.progress, job.requested_by) == (ExportJob.Status.DONE, 100, clerk)
    sheet = workbook_of(client, job).active
    assert sheet["A1"].value == "DANH SÁCH Ý KIẾN, KIẾN NGHỊ" and sheet["A1"].font.bold
    assert sheet["A3"].value == CONFIDENTIALITY_NOTE
    header = [cell.value for cell in sheet[5]]
    assert header[:4] == ["STT", "Mã tra cứu", "Ngày tiếp nhận", "Địa bàn"] and header[8] == "Người nêu"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6)]
    visible = Petition.objects.visible_to(clerk)
    assert len(rows) == visible.count() == job.rows_done == 6
    assert sheet.cell(6, 3).number_format == "DD/MM/YYYY" and rows[0][2].strftime("%d/%m/%Y") == "30/09/2026"
    every_cell = " ".join(str(value) for row in rows for value in row)
    assert DENOUNCER not in every_cell and "ngõ Tố cáo" not in every_cell
    assert str(CONFIDENTIAL_PETITIONER) in every_cell

    filtered = start(
        client, reverse("dashboards:export_petitions") + "?kind=to_cao", django_capture_on_commit_callbacks
    )
    assert filtered.parameters == {"filters": {"kind": ["to_cao"]}}
    rows = [[cell.value for cell in row] for row in workbook_of(client, filtered).active.iter_rows(min_row=6)]
    assert [row[8] for row in rows] == [str(CONFIDENTIAL_PETITIONER)]


def test_assignment_export_with_the_overdue_filter(area_tree, make_user, django_capture_on_commit_callbacks):
    client = login(make_user("leader"))
    url = reverse("dashboards:export_assignments") + "?show=overdue"
    job = start(client, url, django_capture_on_commit_callbacks)
    sheet = workbook_of(client, job).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6)]
    assert [(row[4], row[6].strftime("%d/%m/%Y"), row[8]) for row in rows] == [
        ("Phòng Kinh tế phường Bồ Đề", "10/11/2026", 10)
    ]
    everything = start(client, reverse("dashboards:export_assignments"), django_capture_on_commit_callbacks)
    assert everything.rows_done == 2  # the list's default: open ones


def test_only_the_owner_sees_and_downloads_a_file(area_tree, make_user, django_capture_on_commit_callbacks):
    owner = login(make_user("clerk"))
    job = start(owner, reverse("dashboards:export_petitions"), django_capture_on_commit_callbacks)
    colleague = login(make_user("leader"))
    for name in ("dashboards:export", "dashboards:export_progress", "dashboards:export_download"):
        assert colleague.get(reverse(name, args=[job.pk])).status_code == 404
        assert owner.get(reverse(name, args=[job.pk])).status_code == 200
    assert job.title not in colleague.get(reverse("dashboards:exports")).content.decode()
    assert job.title in owner.get(reverse("dashboards:exports")).content.decode()


def test_progress_fragment_polls_while_running_and_stops_when_done(area_tree, make_user):
    user = make_user("clerk")
    client = login(user)
    job = ExportJob.objects.create(
        requested_by=user,
        kind="x",
        title="Đang chạy",
        status=ExportJob.Status.RUNNING,
        progress=45,
        rows_total=200,
    )
    fragment = client.get(reverse("dashboards:export_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="45"' in html and "<progress" in html
    assert f'hx-get="{reverse("dashboards:export_progress", args=[job.pk])}"' in html
    page = client.get(reverse("dashboards:export", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error="Hỏng")
    html = client.get(reverse("dashboards:export_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in html and "Hỏng" in html
    # A finished job that failed has nothing to download.
    assert client.get(reverse("dashboards:export_download", args=[job.pk])).status_code == 404


def test_large_area_statistics_run_in_the_background(
    area_tree, city, make_user, django_capture_on_commit_callbacks, monkeypatch
):
    from tests.dashboards.test_reports import city_user

    monkeypatch.setattr(report_views, "SYNC_MAX_AREAS", 2)
    client = login(city_user(make_user, city, "monitor"))
    query = f"?area={city.pk}&start=01/01/2025&end=31/12/2026"
    page = client.get(reverse("dashboards:statistics") + query).content.decode()
    assert (
        reverse("dashboards:export_statistics") in page and reverse("dashboards:statistics_xlsx") not in page
    )
    assert client.get(reverse("dashboards:statistics_xlsx") + query).status_code == 302
    job = start(
        client,
        reverse("dashboards:export_statistics"),
        django_capture_on_commit_callbacks,
        {"area": city.pk, "start": "01/01/2025", "end": "31/12/2026"},
    )
    assert job.status == ExportJob.Status.DONE and job.rows_total == 5  # the city, 1 district, 3 wards
    workbook = workbook_of(client, job)
    assert workbook["Thống kê"]["B9"].value == 5  # total conferences, as on the page


def test_a_statistics_export_of_an_area_out_of_scope_is_404(area_tree, other_ward, make_user):
    response = login(make_user("clerk")).post(
        reverse("dashboards:export_statistics"),
        {"area": other_ward.pk, "start": "01/01/2026", "end": "31/12/2026"},
    )
    assert response.status_code == 404 and not ExportJob.objects.exists()


def test_exports_must_be_posted(make_user):
    client = login(make_user("clerk"))
    for name in (
        "dashboards:export_petitions",
        "dashboards:export_assignments",
        "dashboards:export_statistics",
    ):
        assert client.get(reverse(name)).status_code == 405


@pytest.mark.parametrize("jobs", [2, 20])
def test_my_exports_page_queries_do_not_grow(make_user, django_assert_max_num_queries, jobs):
    user = make_user("clerk")
    ExportJob.objects.bulk_create(
        ExportJob(requested_by=user, kind="x", title=f"Tệp {n}") for n in range(jobs)
    )
    client = login(user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("dashboards:exports"))
    assert len(response.context["page"].object_list) == jobs


def test_export_text_starting_with_equals_stays_text(ward, make_user, django_capture_on_commit_callbacks):
    clerk = make_user("clerk")
    petition_for(conference_for(ward), content='=HYPERLINK("http://x","y")')
    client = login(clerk)
    job = start(client, reverse("dashboards:export_petitions"), django_capture_on_commit_callbacks)
    cell = workbook_of(client, job).active.cell(6, 10)
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"
