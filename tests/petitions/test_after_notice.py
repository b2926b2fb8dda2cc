"""Issue 19, trap 6: opinions added to a conference after its notice was issued. Every entry
path says they are outside the notice (the fast entry page, the Excel import, the API); they
are marked, listed apart, and may be given without a notice — which a conference's other
opinions may not."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conclusions import services as conclusion_services
from petitions.models import Category, Petition
from petitions.services import PetitionDraft, petitions_add_to_conference
from tests.conclusions.helpers import leader_of, ready_notice
from tests.conftest import login
from tests.petitions.written_helpers import clerk_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(ward):
    clerk, leader = clerk_of(ward), leader_of(ward)
    notice = ready_notice(ward, clerk, signer=leader)
    notice = conclusion_services.notice_issue(notice=notice, by=leader, issued_on=date(2026, 10, 5))
    return {"notice": notice, "conference": notice.conference, "clerk": clerk}


def draft(content="Sửa mặt đường ngõ 45 bị lún") -> PetitionDraft:
    return PetitionDraft(
        kind=Petition.Kind.RECOMMENDATION,
        channel=Petition.Channel.AT_CONFERENCE,
        category=Category.objects.get(name="Khác"),
        content=content,
        petitioner_name="Bà Đỗ Thị Lan",
    )


def test_only_opinions_typed_after_the_issue_are_marked(ward, issued):
    conference = issued["conference"]
    assert not conference.petitions.filter(after_notice=True).exists()  # typed before: in the notice
    [late] = petitions_add_to_conference(conference=conference, by=issued["clerk"], drafts=[draft()])
    assert late.after_notice
    page = login(issued["clerk"]).get(reverse("dialogue:detail", args=[conference.pk])).content.decode()
    assert "1 ý kiến nhập sau khi đã ban hành thông báo kết luận" in page
    listed = login(issued["clerk"]).get(
        reverse("petitions:list"), {"conference": conference.pk, "after_notice": "true"}
    )
    assert [row.pk for row in listed.context["page"].object_list] == [late.pk]


def test_the_entry_and_import_pages_warn_before(ward, issued):
    client = login(issued["clerk"])
    number = issued["notice"].number_label
    for name in ("petitions:entry", "petitions:import"):
        page = client.get(reverse(name, args=[issued["conference"].pk])).content.decode()
        assert f"đã có thông báo kết luận số {number} ngày 05/10/2026" in page, name


def test_the_api_says_so_in_its_answer(ward, issued):
    url = reverse("api:conference-petition-list", kwargs={"conference_pk": issued["conference"].pk})
    row = {"kind": "kien_nghi", "channel": "at_conference", "category": Category.objects.get(name="Khác").pk,
           "content": "Sửa mặt đường ngõ 45", "petitioner_name": "Bà Lan", "petitioner_address": ""}  # fmt: skip
    response = login(issued["clerk"]).post(url, {"petitions": [row]}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["petitions"][0]["after_notice"] is True
    assert "thông báo kết luận số" in body["warning"] and "xử lý riêng" in body["warning"]


def test_a_late_opinion_is_given_without_a_notice_the_others_are_not(ward, issued):
    conference, clerk = issued["conference"], issued["clerk"]
    [late] = petitions_add_to_conference(conference=conference, by=clerk, drafts=[draft()])
    on_time = conference.petitions.filter(after_notice=False).first()
    arguments = {
        "by": clerk,
        "task": "Sửa mặt đường",
        "lead_agency": ward.bodies["UBND"],
        "deadline": timezone.localdate() + timedelta(days=24),
    }
    with pytest.raises(ValidationError) as refused:
        conclusion_services.petition_assignment_add(petition=on_time, **arguments)
    assert str(conclusion_services.PETITION_OF_CONFERENCE) in refused.value.messages
    work = conclusion_services.petition_assignment_add(petition=late, **arguments)
    assert work.notice_id is None and work.deadline_from == late.received_on
    page = login(clerk).get(reverse("conclusions:notice", args=[issued["notice"].pk])).content.decode()
    assert "đã giao việc" in page  # the notice's list says it is handled
