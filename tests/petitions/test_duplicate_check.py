"""Issue 19, trap 10: the check while typing (petitions:duplicate_check, htmx). It finds
earlier petitions by identity number or phone, and by content — accents ignored, within the
same area and the last six months — and it never tells a denouncer's identity to someone who
may not see it. Roles (403), scope (404), constant queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions.models import IdentityDisclosure
from tests.conclusions.helpers import leader_of
from tests.conftest import login
from tests.factories import OrgUnitFactory, UserFactory, conference_for, petition_for
from tests.petitions.written_helpers import DENOUNCER, clerk_of, denunciation, letter

pytestmark = pytest.mark.django_db
URL = reverse("petitions:duplicate_check")
LIGHTS = "Đề nghị sửa chữa hệ thống đèn chiếu sáng ngõ 110 Nguyễn Sơn bị hỏng nhiều tháng"
TYPED = "sua chua den chieu sang ngo 110 nguyen son"  # as typed in a hurry, without accents


@pytest.fixture
def recent(ward):
    """A conference held three weeks ago in the ward, with the lights opinion."""
    held = timezone.localtime() - timedelta(days=21)
    conference = conference_for(ward, status="held", starts_at=held.replace(hour=14, minute=0))
    return petition_for(conference, content=LIGHTS)


def check(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode().strip()


def test_content_like_a_recent_opinion_of_the_area_is_found_without_accents(ward, recent):
    page = check(login(clerk_of(ward)), conference=recent.conference_id, **{"rows-3-content": TYPED})
    assert "Nội dung tương tự" in page and "đèn chiếu sáng ngõ 110" in page
    assert f"/y-kien/{recent.pk}/" in page


def test_other_content_older_opinions_and_other_areas_are_not_matched(ward, other_ward, recent):
    clerk = clerk_of(ward)
    assert (
        check(login(clerk), conference=recent.conference_id, content="Nạo vét cống thoát nước tổ dân phố 5")
        == ""
    )
    assert check(login(clerk), conference=recent.conference_id, content="đèn ngõ 110") == ""  # too few words
    # The same words in another ward: not this ward's matter.
    elsewhere = conference_for(other_ward, status="held", starts_at=recent.conference.starts_at)
    page = check(login(clerk_of(other_ward)), conference=elsewhere.pk, content=TYPED)
    assert page == ""
    # Older than six months: no longer offered.
    recent.received_on = timezone.localdate() - timedelta(days=200)
    recent.save(update_fields=["received_on"])
    assert check(login(clerk), conference=recent.conference_id, content=TYPED) == ""


def test_the_letter_form_checks_the_phone_and_id_number(ward):
    clerk = clerk_of(ward)
    earlier = letter(ward, clerk, received_on=timezone.localdate() - timedelta(days=30))
    page = check(login(clerk), petitioner_phone="0912345678", content="Một việc khác hẳn")
    assert "Cùng người gửi" in page and f"/y-kien/{earlier.pk}/" in page and "Bà Lê Thị Hoa" in page
    page = check(login(clerk), petitioner_id_number="001190012345")
    assert f"/y-kien/{earlier.pk}/" in page
    assert check(login(clerk), petitioner_phone="0912") == ""  # half typed: nothing


def test_a_denouncers_identity_is_told_only_to_those_who_may_see_it(ward):
    clerk = clerk_of(ward)
    secret = denunciation(ward, clerk, received_on=timezone.localdate() - timedelta(days=10))
    city_committee = OrgUnitFactory(parent=ward.parent, name="UBND Thành phố", kind="peoples_committee")
    city_clerk = UserFactory(agency=city_committee, is_clerk=True)
    typed = {
        "petitioner_phone": "0987000111",
        "petitioner_id_number": "001099900001",
        "content": secret.content,
    }
    # A higher level: not even that a letter with this phone exists; its content is not in
    # the city's own area either.
    assert check(login(city_clerk), **typed) == ""
    assert not IdentityDisclosure.objects.exists()
    # The ward's clerk is shown it, by identity, and that is logged like a display.
    page = check(login(clerk), **typed)
    assert f"/y-kien/{secret.pk}/" in page and DENOUNCER in page
    assert IdentityDisclosure.objects.filter(petition=secret, user=clerk).exists()


def test_a_denunciation_matched_by_content_keeps_its_denouncer_hidden(ward):
    held = timezone.localtime() - timedelta(days=5)
    conference = conference_for(ward, status="held", starts_at=held.replace(hour=9, minute=0))
    spoken = petition_for(
        conference,
        kind="to_cao",
        petitioner_name=DENOUNCER,
        content="Tố cáo cán bộ địa chính nhận tiền khi cấp sổ đỏ",
    )
    city_committee = OrgUnitFactory(parent=ward.parent, name="UBND Thành phố", kind="peoples_committee")
    city_clerk = UserFactory(agency=city_committee, is_clerk=True)
    page = check(
        login(city_clerk), conference=conference.pk, content="to cao can bo dia chinh nhan tien khi cap so do"
    )
    assert f"/y-kien/{spoken.pk}/" in page and DENOUNCER not in page
    assert not IdentityDisclosure.objects.exists()


def test_roles_and_scope(ward, other_ward, recent):
    from tests.conclusions.helpers import handler_of

    assert login(handler_of(ward.bodies["UBND"])).get(URL, {"content": TYPED}).status_code == 403
    monitor = UserFactory(agency=ward.bodies["MTTQ"], is_monitor=True)
    assert login(monitor).get(URL, {"content": TYPED}).status_code == 403
    outsider = clerk_of(other_ward)
    assert login(outsider).get(URL, {"conference": recent.conference_id, "content": TYPED}).status_code == 404
    assert login(outsider).get(URL, {"conference": "x1", "content": TYPED}).status_code == 404
    assert login(leader_of(ward)).get(URL, {"conference": recent.conference_id}).status_code == 200


@pytest.mark.parametrize("rows", [3, 40])
def test_query_count_is_constant(ward, recent, rows, django_assert_max_num_queries):
    for n in range(rows):
        petition_for(recent.conference, content=f"{LIGHTS} lần {n}")
    clerk = clerk_of(ward)
    client = login(clerk)
    check(client, conference=recent.conference_id, content=TYPED)
    with django_assert_max_num_queries(8):
        page = check(client, conference=recent.conference_id, content=TYPED, petitioner_phone="0912345678")
    assert page.count("/y-kien/") == min(rows + 1, 5)  # at most the five most similar
