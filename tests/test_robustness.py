"""The inputs that answered 500 (issue 15, "No server error from any input") and the hardening
of answers to signed-in users. Each case is one the fuzzers (tests/test_fuzz_api.py,
tests/test_fuzz_params.py) or a person found; each must be a 400/404 with a clear message,
nothing half-saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conclusions import services as conclusion_services
from conclusions.models import Assignment, ProgressUpdate
from core.bounds import DATE_OUT_OF_RANGE, DOCUMENT_CHARS
from core.exports import STALLED_AFTER, TOO_MANY_RUNNING
from core.middleware import NUL_IN_INPUT
from core.models import ExportJob
from dialogue.models import Conference
from petitions import services as petition_services
from petitions.models import Category, Petition
from tests.api.test_api import plan_payload
from tests.conclusions.helpers import leader_of
from tests.conftest import login
from tests.factories import OrgUnitFactory, UserFactory, conference_for
from tests.petitions.written_helpers import clerk_of, letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(ward):
    return clerk_of(ward)


# --- NUL bytes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/cong-khai/",
        "/cong-khai/tra-cuu/",
        reverse("petitions:list"),
        reverse("dialogue:list"),
        "/api/v1/petitions/",
    ],
)
def test_a_nul_byte_in_a_query_is_a_clear_400(url, clerk):
    public = url.startswith("/cong-khai/")
    client = Client() if public else login(clerk)
    response = client.get(url, {"q": "đất\x00đai", "ma": "AB\x00CD"})
    assert response.status_code == 400
    body = response.json()["detail"] if url.startswith("/api/") else response.content.decode()
    assert str(NUL_IN_INPUT) in body


def test_a_nul_byte_in_a_form_saves_nothing(clerk):
    url = reverse("petitions:written_create")
    encoded = login(clerk).post(url, "content=a%00b", content_type="application/x-www-form-urlencoded")
    assert encoded.status_code == 400
    multipart = login(clerk).post(url, {"content": "a\x00b"})  # the form's fields refuse it
    assert multipart.status_code == 200 and not Petition.objects.exists()


# --- numbers and dates ---------------------------------------------------------------------


@pytest.mark.parametrize("year", ["0", "-1", "99999", "9" * 30, "1e309"])
@pytest.mark.parametrize("url", ["/api/v1/conferences/", "/api/v1/notices/"])
def test_an_impossible_year_filter_is_a_400(url, year, clerk):
    response = login(clerk).get(url, {"year": year})
    assert response.status_code == 400 and "year" in response.json()


def test_a_huge_page_of_a_searched_list_is_a_page_not_an_error(clerk, ward):
    conference_for(ward, title="Hội nghị về đất đai")
    for url in (reverse("petitions:list"), reverse("dialogue:list"), reverse("conclusions:assignments")):
        response = login(clerk).get(url, {"q": "đất đai", "page": "9" * 30})
        assert response.status_code == 200, url


def test_a_conference_in_year_one_is_refused_and_no_offset_of_1_ad_is_rendered(clerk, ward):
    response = login(clerk).post(
        "/api/v1/conferences/",
        plan_payload(ward, starts_at="0001-01-01T08:00:00+07:00"),
        content_type="application/json",
    )
    assert response.status_code == 400 and not Conference.objects.exists()
    assert "starts_at" in response.json()
    conference = conference_for(ward)
    shown = login(clerk).get(f"/api/v1/conferences/{conference.pk}/").json()["starts_at"]
    assert shown.endswith("+07:00")


def test_the_web_form_refuses_a_date_out_of_range(clerk, ward):
    data = {"host_area": ward.pk, "title": "Hội nghị", "basis": plan_payload(ward)["basis"],
            "kind": "scheduled", "starts_on": "01/01/0001", "starts_time": "08:00", "place": "Hội trường",
            "chairs_text": "Nguyễn Văn A – Chủ tịch"}  # fmt: skip
    response = login(clerk).post(reverse("dialogue:create"), data)
    assert response.status_code == 200 and not Conference.objects.exists()
    message = str(DATE_OUT_OF_RANGE % {"first": "02/09/1945", "last": "31/12/2100"})
    assert message in response.content.decode()


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31"])
def test_the_deadline_calculator_refuses_a_start_out_of_range(clerk, start):
    """Counting 30 days from 31/12/9999 overflowed Python's dates (a 500): every date a person
    types — forms and API alike — is within core.bounds' range."""
    response = login(clerk).get(
        "/api/v1/deadlines/compute/", {"rule": "calendar-days", "start": start, "n": 30}
    )
    assert response.status_code == 400
    assert "start" in response.json()


def test_a_letter_received_in_year_one_is_refused_beside_its_field(clerk, ward):
    data = {"received_on": "01/01/0001", "channel": "letter", "kind": "kien_nghi",
            "content": "Đề nghị sửa đường"}  # fmt: skip
    response = login(clerk).post(reverse("petitions:written_create"), data)
    assert response.status_code == 200 and not Petition.objects.exists()
    assert response.context["form"].errors["received_on"]


def test_the_admins_view_on_site_with_an_unreadable_id_is_a_404(clerk):
    """Django's own shortcut view let a UUID model's ValidationError through as a 500."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import FormSubmission

    admin = UserFactory(is_superuser=True, is_staff=True)
    content_type = ContentType.objects.get_for_model(FormSubmission)
    response = login(admin).get(f"/quan-tri/r/{content_type.pk}/1/")
    assert response.status_code == 404


# --- lengths and rows ----------------------------------------------------------------------


def test_a_chair_name_longer_than_its_column_is_a_message(clerk, ward):
    long_name = "Nguyễn " * 40
    api = login(clerk).post(
        "/api/v1/conferences/",
        plan_payload(ward, chairs=[{"full_name": long_name, "title": "Chủ tịch"}]),
        content_type="application/json",
    )
    assert api.status_code == 400
    data = {"host_area": ward.pk, "title": "Hội nghị", "basis": plan_payload(ward)["basis"],
            "kind": "scheduled", "starts_on": "30/09/2026", "starts_time": "08:00", "place": "Hội trường",
            "chairs_text": f"{long_name} – Chủ tịch"}  # fmt: skip
    page = login(clerk).post(reverse("dialogue:create"), data)
    assert page.status_code == 200 and "Dòng 1: họ tên tối đa 150 ký tự" in page.content.decode()
    assert not Conference.objects.exists()


def test_free_text_longer_than_a_real_document_is_refused_whole(clerk, ward):
    conference = conference_for(ward, status="held")
    category = Category.objects.filter(is_active=True).first()
    rows = [{"category": category.pk, "content": "Đề nghị sửa đường", "petitioner_name": "Lê Hoa"}] * 3
    rows[2] = {**rows[2], "content": "x" * (DOCUMENT_CHARS + 1)}
    response = login(clerk).post(
        "/api/v1/petitions/",
        {"conference": conference.pk, "petitions": rows},
        content_type="application/json",
    )
    assert response.status_code == 400 and not Petition.objects.exists()  # none of the three
    hold = login(clerk).post(
        f"/api/v1/conferences/{conference_for(ward).pk}/hold/",
        {"participant_count": 10, "minutes": "x" * 300_001},
        content_type="application/json",
    )
    assert hold.status_code == 400 and "minutes" in hold.json()


# --- the API's workflow on a written petition's assignment (no notice) -----------------------


def test_every_workflow_action_works_on_a_written_petitions_assignment(ward):
    clerk, leader = clerk_of(ward), leader_of(ward)
    office = OrgUnitFactory(parent=ward, name="Phòng Kinh tế", kind="specialised_office")
    handler = UserFactory(agency=office, is_handler=True)
    petition = letter(ward, clerk)
    petition_services.petition_accept(
        petition=petition, by=clerk, accepted_on=date(2026, 2, 13), complexity="normal"
    )
    work = conclusion_services.petition_assignment_add(
        petition=petition,
        by=clerk,
        task="Giải quyết khiếu nại",
        lead_agency=office,
        responsible_person=handler,
    )
    url = f"/api/v1/assignments/{work.pk}/"
    steps = [
        (handler, "progress", {"text": "Đã xác minh"}),
        (handler, "extension", {"requested_deadline": "2026-04-30", "reason": "Cần xác minh thêm"}),
        (leader, "decide-extension", {"approve": False, "note": "Không đồng ý"}),
        (handler, "report", {"answer_to_citizen": "Kết quả giải quyết như sau"}),
        (clerk, "return", {"reason": "Bổ sung biên bản"}),
        (handler, "report", {"answer_to_citizen": "Đã bổ sung"}),
        (clerk, "accept", {}),
    ]
    for user, action, data in steps:
        response = login(user).post(f"{url}{action}/", data, content_type="application/json")
        assert response.status_code in (200, 400), (action, response.content)
        assert response.status_code == 200 or action == "extension", (action, response.json())
    work.refresh_from_db()
    assert work.status == Assignment.Status.ACCEPTED and ProgressUpdate.objects.count() == 1


# --- hardening -----------------------------------------------------------------------------


def test_signed_in_answers_are_never_cached(clerk, ward):
    client = login(clerk)
    conference = conference_for(ward)
    for url in (
        reverse("petitions:list"),
        reverse("dialogue:detail", args=[conference.pk]),
        "/api/v1/petitions/",
    ):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url
    token = client.post("/api/v1/auth/token/", {"username": clerk.username, "password": "x"})
    assert "no-store" in token["Cache-Control"]  # the API, signed in or not
    assert "no-store" not in Client().get("/cong-khai/").get("Cache-Control", "")  # the public's pages


def test_the_api_schema_and_docs_are_for_signed_in_users(clerk):
    assert Client().get("/api/schema/").status_code == 401
    docs = Client().get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("accounts:login"))
    assert login(clerk).get("/api/schema/").status_code == 200


def test_a_user_may_have_only_a_few_export_jobs_at_once(clerk, settings):
    settings.EXPORT_RUNNING_PER_USER = 2
    for status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
        ExportJob.objects.create(requested_by=clerk, kind="x", title="Danh sách", status=status)
    ExportJob.objects.create(requested_by=UserFactory(), kind="x", title="Của người khác")
    response = login(clerk).post(reverse("dashboards:export_petitions"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboards:exports")
    assert str(TOO_MANY_RUNNING % {"count": 2}) in response.content.decode()
    assert ExportJob.objects.filter(requested_by=clerk).count() == 2  # nothing queued
    ExportJob.objects.filter(requested_by=clerk, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.DONE
    )
    with_room = login(clerk).post(reverse("dashboards:export_petitions"))
    assert with_room.status_code == 302 and ExportJob.objects.filter(requested_by=clerk).count() == 3
    # A job whose worker died long ago does not count against the user.
    ExportJob.objects.filter(requested_by=clerk).update(
        status=ExportJob.Status.RUNNING, created_at=timezone.now() - STALLED_AFTER - timedelta(minutes=1)
    )
    assert login(clerk).post(reverse("dashboards:export_petitions")).status_code == 302
    assert ExportJob.objects.filter(requested_by=clerk).count() == 4
