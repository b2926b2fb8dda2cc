"""The register page and the form for numbers used outside the app: scoped to the user's
bodies, for clerks and leaders, printable, constant queries."""

from datetime import date

import pytest
from django.urls import reverse

from conclusions import services as conclusion_services
from petitions import services as petition_services
from registers.models import RegisterEntry
from registers.services import register_record_outside
from tests.conclusions.helpers import leader_of, ready_notice
from tests.conftest import login
from tests.factories import UserFactory
from tests.petitions.written_helpers import clerk_of, letter

pytestmark = pytest.mark.django_db
LIST = reverse("registers:list")
CREATE = reverse("registers:outside_create")


def test_the_register_lists_every_number_with_its_document(ward, other_ward):
    clerk, leader = clerk_of(ward), leader_of(ward)
    notice = conclusion_services.notice_issue(notice=ready_notice(ward, clerk), by=leader)
    petition = petition_services.petition_transfer(
        petition=letter(ward, clerk), by=clerk, to="UBND thành phố"
    )
    register_record_outside(
        body=ward.bodies["UBND"], by=clerk, doc_type="CV", on=date.today(), summary="Công văn gửi Sở Xây dựng"
    )
    elsewhere = clerk_of(other_ward)
    register_record_outside(
        body=other_ward.bodies["UBND"],
        by=elsewhere,
        doc_type="KH",
        on=date.today(),
        summary="Kế hoạch phường khác",
    )
    page = login(clerk).get(LIST).content.decode()
    assert "01/TB-UBND" in page and reverse("conclusions:notice", args=[notice.pk]) in page
    assert "02/PC-UBND" in page and reverse("petitions:detail", args=[petition.pk]) in page
    assert "03/UBND" in page and "Công văn gửi Sở Xây dựng" in page and "Cấp ngoài phần mềm" in page
    assert "Kế hoạch phường khác" not in page  # another ward's register
    assert "data-print" in page
    only_outside = login(clerk).get(LIST, {"origin": "outside", "year": date.today().year}).content.decode()
    assert "03/UBND" in only_outside and "01/TB-UBND" not in only_outside
    only_slips = login(clerk).get(LIST, {"doc_type": "PC"}).content.decode()
    assert "02/PC-UBND" in only_slips and "03/UBND" not in only_slips


def test_another_wards_body_cannot_be_chosen_or_written(ward, other_ward):
    clerk = clerk_of(ward)
    foreign = other_ward.bodies["UBND"]
    assert login(clerk).get(LIST, {"body": foreign.pk}).status_code == 400
    assert login(clerk).get(LIST, {"year": 10000}).status_code == 400
    response = login(clerk).post(
        CREATE, {"body": foreign.pk, "doc_type": "CV", "issued_on": "02/03/2026", "summary": "Lén ghi số"}
    )
    assert response.status_code == 400 and not RegisterEntry.objects.exists()


@pytest.mark.parametrize("role", ["is_handler", "is_monitor"])
def test_handlers_and_monitors_keep_no_register(ward, role):
    user = UserFactory(agency=ward.bodies["UBND"], **{role: True})
    assert login(user).get(LIST).status_code == 403
    assert login(user).post(CREATE, {}).status_code == 403


def test_a_clerk_records_an_outside_number_and_a_taken_one_is_refused(ward):
    clerk, body = clerk_of(ward), ward.bodies["UBND"]
    data = {
        "body": body.pk,
        "doc_type": "QĐ",
        "number": 7,
        "issued_on": "02/03/2026",
        "summary": "Quyết định giấy",
    }
    response = login(clerk).post(CREATE, data)
    assert response.status_code == 302
    assert RegisterEntry.objects.get().label == "07/QĐ-UBND"
    again = login(clerk).post(CREATE, {**data, "summary": "Trùng số"})
    assert again.status_code == 400
    assert "Số 07/QĐ-UBND đã có trong sổ: Quyết định giấy." in again.content.decode()
    assert RegisterEntry.objects.count() == 1
    blank = login(clerk).post(CREATE, {**data, "summary": ""})
    assert blank.status_code == 400 and RegisterEntry.objects.count() == 1


@pytest.mark.parametrize("rows", [3, 30])
def test_register_page_queries_are_constant(ward, django_assert_max_num_queries, rows):
    clerk, leader = clerk_of(ward), leader_of(ward)
    conclusion_services.notice_issue(notice=ready_notice(ward, clerk, opinions=1), by=leader)
    petition_services.petition_transfer(petition=letter(ward, clerk), by=clerk, to="UBND thành phố")
    for n in range(rows):
        register_record_outside(
            body=ward.bodies["UBND"], by=clerk, doc_type="CV", on=date(2026, 3, 2), summary=f"Công văn {n}"
        )
    client = login(clerk)
    with django_assert_max_num_queries(14):
        assert client.get(LIST).status_code == 200
