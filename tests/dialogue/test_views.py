from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.uploads import FILE_CONTENT_MISMATCH, FILE_TYPE_NOT_ALLOWED
from dialogue.forms import CHAIR_LINE_INVALID
from dialogue.models import Conference, ConferenceAttachment, ConferenceBasis
from tests.conftest import login
from tests.factories import conference_for, petition_for

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def form_data(ward, **overrides):
    data = {
        "host_area": ward.pk,
        "title": "Hội nghị đối thoại năm 2026",
        "basis": ConferenceBasis.objects.first().pk,
        "kind": "scheduled",
        "starts_on": "30/09/2026",
        "starts_time": "14:00",
        "place": "Hội trường UBND phường Bồ Đề",
        "chairs_text": "Nguyễn Thị Thanh Hằng – Bí thư Đảng ủy phường\nNguyễn Văn Luyện - Chủ tịch UBND phường",
        "invited_guests": "Thường trực Đảng ủy, UBND, Ủy ban MTTQ phường",
        "agenda": "1. Báo cáo\n2. Đối thoại",
    }
    return {**data, **overrides}


def test_clerk_plans_a_conference(ward, make_user):
    response = login(make_user("clerk")).post(reverse("dialogue:create"), form_data(ward))
    conference = Conference.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "dialogue:detail", args=[conference.pk]
    )
    assert conference.starts_at == datetime(2026, 9, 30, 14, tzinfo=HANOI)
    assert [c.title for c in conference.chairs.all()] == ["Bí thư Đảng ủy phường", "Chủ tịch UBND phường"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "bắt buộc"),
        ("starts_on", "31/02/2026", "Nhập một ngày hợp lệ"),
        ("chairs_text", "Nguyễn Thị Thanh Hằng", str(CHAIR_LINE_INVALID % {"line": 1})),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_saved(ward, make_user, field, value, message):
    page = login(make_user("clerk")).post(reverse("dialogue:create"), form_data(ward, **{field: value}))
    assert page.status_code == 200
    assert message in page.text
    assert f'id="id_{field}_errors"' in page.text  # the message sits with its field
    assert not Conference.objects.exists()


def test_cannot_plan_in_another_ward(ward, other_ward, make_user):
    page = login(make_user("clerk")).post(
        reverse("dialogue:create"), form_data(ward, host_area=other_ward.pk)
    )
    assert page.status_code == 200 and not Conference.objects.exists()


def test_roles_and_scope(ward, other_ward, make_user):
    mine, theirs = conference_for(ward), conference_for(other_ward)
    monitor = login(make_user("monitor"))
    assert monitor.get(reverse("dialogue:create")).status_code == 403
    assert monitor.get(reverse("dialogue:detail", args=[mine.pk])).status_code == 200
    assert monitor.post(reverse("dialogue:hold", args=[mine.pk]), {}).status_code == 403
    clerk = login(make_user("clerk"))
    for name in ["detail", "edit", "hold", "cancel", "notice"]:
        assert clerk.get(reverse(f"dialogue:{name}", args=[theirs.pk])).status_code == 404, name


def test_hold_and_cancel_through_the_pages(ward, make_user):
    clerk = login(make_user("clerk"))
    conference, other = conference_for(ward), conference_for(ward, title="Hội nghị thứ hai")
    response = clerk.post(
        reverse("dialogue:hold", args=[conference.pk]),
        {"participant_count": "150", "minutes": "Biên bản hội nghị"},
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.status == "held" and conference.participant_count == 150
    page = clerk.post(reverse("dialogue:cancel", args=[other.pk]), {"reason": ""})
    assert page.status_code == 200 and "bắt buộc" in page.text
    clerk.post(reverse("dialogue:cancel", args=[other.pk]), {"reason": "Trùng lịch"})
    other.refresh_from_db()
    assert other.status == "cancelled"


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_do_not_grow(ward, make_user, rows, django_assert_max_num_queries):
    for index in range(rows):
        petition_for(conference_for(ward, title=f"Hội nghị {index}", status="held"))
    client = login(make_user("clerk"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("dialogue:list"))
    assert page.status_code == 200 and page.text.count('href="/hoi-nghi/') >= min(rows, 25)
    assert all(conference.petition_count == 1 for conference in page.context["page"].object_list)


@pytest.mark.parametrize("rows", [3, 30])
def test_detail_queries_do_not_grow(ward, make_user, rows, django_assert_max_num_queries):
    conference = conference_for(ward, status="held")
    for _ in range(rows):
        petition_for(conference)
    client = login(make_user("clerk"))
    # +1: the history card (one query); +2: the report-back's answered opinions and their
    # verdicts (issue 17)
    with django_assert_max_num_queries(19):
        page = client.get(reverse("dialogue:detail", args=[conference.pk]))
    assert page.status_code == 200


def test_list_filters_and_accent_free_search(ward, other_ward, city, make_user):
    conference_for(ward, title="Đối thoại về đất đai", status="held")
    conference_for(other_ward, title="Đối thoại về môi trường")
    conference_for(ward, title="Hội nghị năm 2025", starts_at=datetime(2025, 5, 5, 8, tzinfo=HANOI))
    from tests.factories import UserFactory

    city_user = login(UserFactory(agency=city, is_monitor=True))
    url = reverse("dialogue:list")

    def titles(**params):
        return [c.title for c in city_user.get(url, params).context["page"].object_list]

    assert titles(q="dat dai") == ["Đối thoại về đất đai"]
    assert set(titles(host_area=ward.pk)) == {"Đối thoại về đất đai", "Hội nghị năm 2025"}
    assert titles(year="2025") == ["Hội nghị năm 2025"]
    assert titles(status="held") == ["Đối thoại về đất đai"]
    assert titles(
        date_from="01/01/2026", date_to="31/12/2026", kind="scheduled", host_area=other_ward.pk
    ) == ["Đối thoại về môi trường"]


def test_list_shows_compliance(ward, other_ward, make_user):
    conference_for(ward, status="held")
    page = login(make_user("clerk")).get(reverse("dialogue:list"), {"year": "2026"})
    assert "1/1 địa bàn đã tổ chức đủ" in page.text


PDF = b"%PDF-1.4\n%test\n"


def test_attachments_checked_for_type_and_size(ward, make_user, settings):
    conference = conference_for(ward, status="held")
    client = login(make_user("clerk"))
    url = reverse("dialogue:attachment_upload", args=[conference.pk])
    client.post(url, {"file": SimpleUploadedFile("bien-ban.pdf", PDF), "kind": "minutes"})
    attachment = ConferenceAttachment.objects.get()
    assert attachment.size == len(PDF) and attachment.uploaded_by is not None
    download = client.get(reverse("dialogue:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    page = client.post(
        url, {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00"), "kind": "other"}, follow=True
    )
    assert str(FILE_CONTENT_MISMATCH % {"extension": "pdf"}) in page.text
    page = client.post(url, {"file": SimpleUploadedFile("script.exe", b"MZ"), "kind": "other"}, follow=True)
    assert str(FILE_TYPE_NOT_ALLOWED) in page.text
    settings.UPLOAD_MAX_BYTES = 10
    page = client.post(url, {"file": SimpleUploadedFile("lon.pdf", PDF), "kind": "other"}, follow=True)
    assert "Tệp quá lớn" in page.text
    assert ConferenceAttachment.objects.count() == 1


def test_attachment_download_is_scoped(ward, other_ward, make_user):
    theirs = conference_for(other_ward)
    attachment = ConferenceAttachment.objects.create(
        conference=theirs, file=SimpleUploadedFile("a.pdf", PDF), size=len(PDF)
    )
    assert (
        login(make_user("clerk"))
        .get(reverse("dialogue:attachment_download", args=[attachment.pk]))
        .status_code
        == 404
    )


def test_public_notice_prints_the_official_header(ward, make_user):
    conference = conference_for(ward)
    page = login(make_user("clerk")).get(reverse("dialogue:notice", args=[conference.pk]))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page.text and "Độc lập - Tự do - Hạnh phúc" in page.text
    assert "ĐẢNG ỦY PHƯỜNG BỒ ĐỀ" in page.text and "30/09/2026" in page.text


# --- a search's count comes after its page (core.pagination.ListPagination) ----------------


@pytest.fixture
def land_conferences(ward, other_ward, monkeypatch):
    monkeypatch.setattr("dialogue.views.PAGE_SIZE", 2)
    for number in range(3):
        conference_for(ward, title=f"Đối thoại về đất đai lần {number}")
    conference_for(ward, title="Đối thoại về môi trường")
    conference_for(other_ward, title="Đối thoại về đất đai ở Cầu Giấy")


def test_conference_search_is_counted_after_its_page(land_conferences, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.pagination import COUNT_PARAMETER

    client = login(make_user("clerk"))
    url = reverse("dialogue:list")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, {"q": "dat dai"})
    assert not [q for q in queries.captured_queries if "COUNT(*) FROM (SELECT" in q["sql"]]
    assert "Hơn 2 hội nghị" in page.text and 'hx-trigger="load"' in page.text
    assert all(conference.petition_count == 0 for conference in page.context["page"].object_list)
    fragment = client.get(url, {"q": "dat dai", COUNT_PARAMETER: "1"}, headers={"HX-Request": "true"})
    # The ward's three: not the other ward's, which the clerk cannot see.
    assert 'data-list-count="3"' in fragment.text and "3 hội nghị" in fragment.text
    assert "Năm " not in fragment.text  # the count line alone, no compliance summary
    plain = client.get(url)
    assert 'data-list-count="4"' in plain.text and "hx-get" not in plain.text


@pytest.mark.parametrize("rows", [3, 30])
def test_search_queries_do_not_grow(ward, make_user, rows, django_assert_max_num_queries):
    for index in range(rows):
        petition_for(conference_for(ward, title=f"Đối thoại đất đai {index}", status="held"))
    client = login(make_user("clerk"))
    # 15: with the boundary of the newest rows a search looks at first, and the settings of
    # that walk (its time limit) in a savepoint (core.pagination).
    with django_assert_max_num_queries(15):
        page = client.get(reverse("dialogue:list"), {"q": "dat dai"})
    assert page.status_code == 200
    with django_assert_max_num_queries(4):
        fragment = client.get(
            reverse("dialogue:list"), {"q": "dat dai", "_count": "1"}, headers={"HX-Request": "true"}
        )
    assert f'data-list-count="{rows}"' in fragment.text
