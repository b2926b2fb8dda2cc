"""The public pages: tracking by code (rate-limited, never an identity) and the area page
(conferences, issued notices, opinions with agency, deadline and status; never a draft)."""

from datetime import date

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from conclusions import services as conclusion_services
from conclusions.models import ConclusionNotice
from petitions import services
from petitions.models import Petition
from public_pages import views as public_views
from tests.conclusions.helpers import assign, draft_notice, held_conference, leader_of
from tests.factories import petition_for
from tests.petitions.written_helpers import DENOUNCER, clerk_of, denunciation, letter

pytestmark = pytest.mark.django_db


def track(code: str, ip: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=ip).get(reverse("public:track"), {"ma": code})


def test_tracking_shows_the_steps_never_the_identity(ward):
    clerk = clerk_of(ward)
    petition = services.petition_accept(
        petition=denunciation(ward, clerk), by=clerk, accepted_on=date(2026, 2, 13), complexity="normal"
    )
    conclusion_services.petition_assignment_add(
        petition=petition, by=clerk, task="Xác minh", lead_agency=ward.bodies["UBND"]
    )
    response = track(petition.tracking_code.lower().replace("-", " "))
    page = response.content.decode()
    assert response.status_code == 200
    for expected in ("Đã tiếp nhận", "Đã thụ lý", "16/03/2026", ward.bodies["UBND"].name):
        assert expected in page
    for secret in (DENOUNCER, "0987000111", "001099900001", "Ngõ Bí Mật", "Tố cáo cán bộ địa chính"):
        assert secret.lower() not in page.lower()


def test_public_answer_only_when_marked_public(ward):
    clerk = clerk_of(ward)
    petition = services.petition_accept(
        petition=letter(ward, clerk, kind=Petition.Kind.RECOMMENDATION),
        by=clerk,
        accepted_on=date(2026, 2, 13),
        complexity="normal",
    )
    services.petition_record_answer(
        petition=petition, by=clerk, text="Nội dung kín", answered_on=date(2026, 3, 1)
    )
    assert "Nội dung kín" not in track(petition.tracking_code).content.decode()
    Petition.objects.filter(pk=petition.pk).update(answer_is_public=True, final_answer="Bồi thường bổ sung")
    page = track(petition.tracking_code).content.decode()
    assert "Đã giải quyết xong" in page and "Bồi thường bổ sung" in page


def test_a_complaints_answer_is_never_public_only_its_outcome(ward):
    """Issue 17: for complaints and denunciations only the outcome is public, even when the
    clerk ticked "public" (the decision goes to the complainant)."""
    clerk = clerk_of(ward)
    petition = services.petition_accept(
        petition=letter(ward, clerk), by=clerk, accepted_on=date(2026, 2, 13), complexity="normal"
    )
    services.petition_record_answer(
        petition=petition, by=clerk, text="Bồi thường bổ sung", answered_on=date(2026, 3, 1), is_public=True
    )
    page = track(petition.tracking_code).content.decode()
    assert "Đã giải quyết xong" in page and "Đã có kết quả giải quyết" in page
    assert "Bồi thường bổ sung" not in page


def test_bad_and_unknown_codes(ward):
    assert track("abc").status_code == 400
    assert track("OOOOO-11111").status_code == 400  # letters the codes never use
    response = track("ABCDE-23456")
    assert response.status_code == 404 and "Không tìm thấy" in response.content.decode()
    assert Client().get(reverse("public:track")).status_code == 200  # the empty form is not a lookup


@override_settings()
def test_lookups_are_rate_limited_per_client_address(ward, monkeypatch):
    monkeypatch.setattr(public_views, "TRACKING_LIMIT", 5)
    petition = letter(ward, clerk_of(ward))
    statuses = [track("ABCDE-23456").status_code for _ in range(5)]
    assert statuses == [404] * 5
    # Over the limit: refused even with a good code, so guessing gains nothing.
    assert track(petition.tracking_code).status_code == 429
    assert track(petition.tracking_code, ip="198.51.100.9").status_code == 200  # another address


def _issued_conference(ward, leader, clerk, opinions):
    conference = held_conference(ward, opinions)
    notice = draft_notice(ward, clerk, conference=conference, signer=leader)
    assign(
        notice, clerk, agency=ward.bodies["UBND"], petitions=conference.petitions.all(), on=date(2026, 12, 31)
    )
    conclusion_services.notice_issue(notice=notice, by=leader, issued_on=date(2026, 10, 5))
    return conference


@pytest.mark.parametrize("conferences", [1, 4])
def test_area_page_query_count_is_constant(ward, conferences, django_assert_max_num_queries):
    leader, clerk = leader_of(ward), clerk_of(ward)
    for _ in range(conferences):
        _issued_conference(ward, leader, clerk, opinions=3)
    # 9: the conferences and their opinions, the promise ledger (2), the merged wards' links.
    with django_assert_max_num_queries(9):
        response = Client().get(reverse("public:area", args=[ward.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("31/12/2026") == 3 * conferences  # each opinion: its agency's deadline
    assert page.count("/TB-UBND") == conferences


def test_area_page_never_shows_drafts_names_or_denunciations(ward):
    leader, clerk = leader_of(ward), clerk_of(ward)
    conference = held_conference(ward, 1)
    # Classified (issue 17: the area page lists only classified opinions).
    petition_for(
        conference,
        content="Ý kiến công khai về thoát nước",
        petitioner_name="Ông Tên Riêng Qwerty",
        outcome="in_authority",
    )
    petition_for(conference, content="Nội dung tố cáo kín", kind="to_cao", petitioner_name=DENOUNCER)
    notice = draft_notice(ward, clerk, conference=conference, signer=leader)
    assign(
        notice, clerk, agency=ward.bodies["ĐU"], petitions=conference.petitions.all(), on=date(2026, 12, 30)
    )
    page = Client().get(reverse("public:area", args=[ward.pk])).content.decode()
    assert "Ý kiến công khai về thoát nước" in page
    for hidden in (
        "Qwerty",
        DENOUNCER,
        "Nội dung tố cáo kín",
        "30/12/2026",
        ward.bodies["ĐU"].name,
        "Dự thảo",
    ):
        assert hidden not in page
    assert Client().get(reverse("public:notice_pdf", args=[notice.pk])).status_code == 404


def test_issued_notice_pdf_is_public(ward, settings, tmp_path):
    from conclusions.pdf import notice_pdf_store

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path
    leader, clerk = leader_of(ward), clerk_of(ward)
    conference = _issued_conference(ward, leader, clerk, opinions=1)
    notice = ConclusionNotice.objects.get(conference=conference)
    assert Client().get(reverse("public:notice_pdf", args=[notice.pk])).status_code == 404  # still rendering
    notice_pdf_store(notice=notice)
    response = Client().get(reverse("public:notice_pdf", args=[notice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        reverse("public:notice_pdf", args=[notice.pk])
        in Client().get(reverse("public:area", args=[ward.pk])).content.decode()
    )


def test_index_finds_areas_without_accents(ward):
    page = Client().get(reverse("public:index"), {"q": "bo de"}).content.decode()
    assert reverse("public:area", args=[ward.pk]) in page


def _ledger_queries(response_getter) -> tuple[object, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = response_getter()
    counted = [
        query for query in queries.captured_queries if "COUNT(" in query["sql"] and "made" in query["sql"]
    ]
    return response, len(counted)


def test_a_city_ledger_is_kept_a_while_and_a_wards_is_always_fresh(city, ward, settings):
    # A province's ledger sums the promises of hundreds of wards for a page anyone may open:
    # kept rendered (its hundreds of rows cost more to render than to read from the cache).
    from django.core.cache import cache
    from django.utils import timezone, translation

    settings.DASHBOARD_CACHE_SECONDS = 600
    leader, clerk = leader_of(ward), clerk_of(ward)
    _issued_conference(ward, leader, clerk, opinions=2)
    today = timezone.localdate()
    with translation.override("vi"):  # the page's language
        cache.delete(public_views.ledger_cache_key(city, today))  # Redis outlives the test database
    url = reverse("public:area", args=[city.pk])
    first, counted = _ledger_queries(lambda: Client().get(url))
    ledger = first.context["ledger"]
    assert counted == 1 and ledger.startswith('<section class="card mb-4"')
    assert f'<th scope="row">{ward.name}</th>' in ledger and 'data-label="Việc đã hứa">1</td>' in ledger
    second, counted = _ledger_queries(lambda: Client().get(url))
    assert counted == 0 and second.context["ledger"] == ledger
    assert ledger in second.content.decode()  # as HTML, not escaped
    ward_url = reverse("public:area", args=[ward.pk])
    for _ in range(2):
        _, counted = _ledger_queries(lambda: Client().get(ward_url))
        assert counted == 1
