import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from petitions.models import CONFIDENTIAL_PETITIONER, TRACKING_ALPHABET, Petition
from petitions.services import (
    DUPLICATE_ELSEWHERE,
    REJECTION_NEEDS_REASON,
    TRANSFER_NEEDS_TARGET,
    petition_set_outcome,
)
from tests.conftest import login
from tests.factories import UserFactory, conference_for, petition_for

pytestmark = pytest.mark.django_db
SECRET_NAME = "Nguyễn Văn Bí Mật Zed"


def test_tracking_codes_are_unguessable_and_unique(ward):
    conference = conference_for(ward, status="held")
    codes = {petition_for(conference).tracking_code for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert len(code) == 11 and code[5] == "-"
        assert set(code.replace("-", "")) <= set(TRACKING_ALPHABET)


def test_outcomes_need_their_details(ward, make_user):
    clerk = make_user("clerk")
    petition = petition_for(conference_for(ward, status="held"))
    with pytest.raises(ValidationError) as caught:
        petition_set_outcome(petition=petition, by=clerk, outcome="transferred")
    assert str(TRANSFER_NEEDS_TARGET) in caught.value.messages
    with pytest.raises(ValidationError) as caught:
        petition_set_outcome(petition=petition, by=clerk, outcome="rejected")
    assert str(REJECTION_NEEDS_REASON) in caught.value.messages
    petition_set_outcome(petition=petition, by=clerk, outcome="transferred", transferred_to="UBND thành phố")
    petition.refresh_from_db()
    assert petition.outcome == "transferred" and petition.transferred_on is not None


def test_duplicates_point_at_the_first_original_and_are_counted(ward, other_ward, make_user):
    clerk = make_user("clerk")
    conference = conference_for(ward, status="held")
    original, repeat, third = petition_for(conference), petition_for(conference), petition_for(conference)
    petition_set_outcome(petition=repeat, by=clerk, outcome="duplicate", duplicate_of=original)
    petition_set_outcome(petition=third, by=clerk, outcome="duplicate", duplicate_of=repeat)
    third.refresh_from_db()
    assert third.duplicate_of == original
    assert original.repeats.count() == 2
    assert Petition.objects.filter(pk=repeat.pk, content=repeat.content).exists()  # both texts kept
    elsewhere = petition_for(conference_for(other_ward, status="held"))
    with pytest.raises(ValidationError) as caught:
        petition_set_outcome(petition=elsewhere, by=clerk, outcome="duplicate", duplicate_of=original)
    assert str(DUPLICATE_ELSEWHERE) in caught.value.messages


def test_outcome_form_on_the_detail_page(ward, make_user):
    petition = petition_for(conference_for(ward, status="held"))
    url = reverse("petitions:detail", args=[petition.pk])
    clerk = login(make_user("clerk"))
    page = clerk.post(url, {"outcome": "rejected", "rejection_reason": ""})
    assert page.status_code == 200 and str(REJECTION_NEEDS_REASON) in page.text
    assert (
        clerk.post(url, {"outcome": "rejected", "rejection_reason": "Không thuộc thẩm quyền"}).status_code
        == 302
    )
    petition.refresh_from_db()
    assert petition.outcome == "rejected"
    assert login(make_user("monitor")).post(url, {"outcome": "answered"}).status_code == 403


def test_search_folds_accents_and_never_finds_a_denouncer(ward, make_user):
    conference = conference_for(ward, status="held")
    petition_for(conference, content="Đề nghị cải tạo hệ thống thoát nước ngõ 192")
    petition_for(conference, content="Tố cáo cán bộ địa chính", kind="to_cao", petitioner_name=SECRET_NAME)
    assert Petition.objects.search("thoat nuoc").count() == 1
    assert Petition.objects.search("bi mat zed").count() == 0
    client = login(make_user("monitor"))
    listing = client.get(reverse("petitions:list"), {"q": "to cao"})
    assert "Tố cáo cán bộ địa chính" in listing.text
    assert SECRET_NAME not in listing.text and str(CONFIDENTIAL_PETITIONER) in listing.text
    assert SECRET_NAME not in client.get(reverse("dialogue:detail", args=[conference.pk])).text


def test_denouncer_identity_only_for_those_handling_the_case(ward, make_user):
    petition = petition_for(conference_for(ward, status="held"), kind="to_cao", petitioner_name=SECRET_NAME)
    url = reverse("petitions:detail", args=[petition.pk])
    assert SECRET_NAME in login(make_user("clerk")).get(url).text
    assert SECRET_NAME in login(make_user("leader")).get(url).text
    assert SECRET_NAME not in login(make_user("monitor", agency=ward.bodies["MTTQ"])).get(url).text
    assert SECRET_NAME not in login(make_user("handler")).get(url).text


def test_list_is_scoped_and_filtered(ward, other_ward, make_user, city):
    mine = petition_for(conference_for(ward, status="held"), outcome="in_authority")
    theirs = petition_for(conference_for(other_ward, status="held"))
    clerk = login(make_user("clerk"))
    assert list(clerk.get(reverse("petitions:list")).context["page"].object_list) == [mine]
    assert clerk.get(reverse("petitions:detail", args=[theirs.pk])).status_code == 404
    city_user = login(UserFactory(agency=city, is_monitor=True))
    listing = city_user.get(reverse("petitions:list"), {"outcome": "in_authority"})
    assert list(listing.context["page"].object_list) == [mine]
    listing = city_user.get(reverse("petitions:list"), {"area": other_ward.pk})
    assert list(listing.context["page"].object_list) == [theirs]


@pytest.mark.parametrize("rows", [5, 50])
def test_list_queries_do_not_grow(ward, make_user, rows, django_assert_max_num_queries):
    conference = conference_for(ward, status="held")
    for _ in range(rows):
        petition_for(conference)
    client = login(make_user("clerk"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("petitions:list"), {"conference": conference.pk})
    assert page.status_code == 200


def test_report_back_lists_earlier_open_opinions(ward, make_user):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    old = conference_for(
        ward, status="held", starts_at=datetime(2025, 5, 5, 8, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    )
    petition_for(old, content="Đường ngõ 5 xuống cấp", outcome="in_authority")
    petition_for(
        old,
        content="Đã trả lời xong",
        outcome="answered",
        conference_answer="Rồi",
        answered_at_conference=True,
    )
    new = conference_for(ward, title="Hội nghị mới")
    page = login(make_user("leader")).get(reverse("dialogue:detail", args=[new.pk]))
    assert "Báo cáo lại" in page.text
    assert "Đường ngõ 5 xuống cấp" in page.text and "Đã trả lời xong" not in page.text
