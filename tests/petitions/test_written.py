"""Written petitions and citizen reception: intake with duplicates, handling, assignment
without a notice through the usual workflow, receipt, transfer slip, scoping and roles."""

import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from conclusions import services as conclusion_services
from conclusions.models import Assignment
from petitions import services
from petitions.models import IdentityDisclosure, Petition, ReceptionSession
from registers.models import RegisterSettings
from tests.conclusions.helpers import handler_of, leader_of
from tests.conftest import login
from tests.petitions.written_helpers import DENOUNCER, clerk_of, denunciation, letter

pytestmark = pytest.mark.django_db

FORM = {
    "received_on": "06/02/2026",
    "channel": "letter",
    "kind": "khieu_nai",
    "petitioner_type": "person",
    "petitioner_name": "Bà Lê Thị Hoa",
    "petitioner_id_number": "001190012345",
    "petitioner_phone": "0912345678",
    "petitioner_address": "Tổ dân phố 3",
    "content": "Khiếu nại việc thu hồi đất làm đường ngõ 12 không bồi thường thỏa đáng.",
}


def _form(**changes):
    from petitions.models import Category

    return {**FORM, "category": Category.objects.get(name="Khác").pk, **changes}


def test_clerk_logs_a_letter_and_gets_its_deadline(ward):
    clerk = clerk_of(ward)
    response = login(clerk).post(reverse("petitions:written_create"), _form())
    petition = Petition.objects.get()
    assert response.status_code == 302 and response.url == reverse("petitions:handle", args=[petition.pk])
    assert (petition.channel, petition.area, petition.acceptance_deadline) == (
        "letter",
        ward,
        date(2026, 2, 23),  # 10 days (Luật Khiếu nại 2011 Điều 27) end in Tết: the next working day
    )
    page = login(clerk).get(response.url)
    assert "23/02/2026" in page.content.decode()


def test_possible_duplicate_is_shown_then_merged_on_request(ward):
    clerk = clerk_of(ward)
    first = letter(ward, clerk)
    client = login(clerk)
    # Same identity number, the same matter written differently and without accents.
    repeat = _form(content="Khieu nai thu hoi dat lam duong ngo 12 khong boi thuong thoa dang, lan hai.")
    response = client.post(reverse("petitions:written_create"), repeat)
    assert response.status_code == 200
    assert first.tracking_code in response.content.decode()
    assert Petition.objects.count() == 1  # nothing saved until the clerk decides
    response = client.post(reverse("petitions:written_create"), {**repeat, "merge_into": first.pk})
    merged = Petition.objects.exclude(pk=first.pk).get()
    assert (merged.outcome, merged.duplicate_of) == (Petition.Outcome.DUPLICATE, first)
    assert response.status_code == 302


def test_different_matter_from_the_same_person_is_not_a_duplicate(ward):
    clerk = clerk_of(ward)
    letter(ward, clerk)
    response = login(clerk).post(
        reverse("petitions:written_create"), _form(content="Đề nghị lắp đèn chiếu sáng ở tổ dân phố 3.")
    )
    assert response.status_code == 302
    assert Petition.objects.count() == 2


def test_save_new_despite_duplicates(ward):
    clerk = clerk_of(ward)
    letter(ward, clerk)
    response = login(clerk).post(reverse("petitions:written_create"), {**_form(), "save_new": "1"})
    assert response.status_code == 302
    assert Petition.objects.filter(outcome="pending").count() == 2


def test_accept_decline_transfer_through_the_page(ward):
    clerk = clerk_of(ward)
    client = login(clerk)
    accepted, declined, transferred = (letter(ward, clerk) for _ in range(3))
    client.post(reverse("petitions:accept", args=[accepted.pk]),
                {"accepted_on": "13/02/2026", "complexity": "normal", "complaint_round": "1"})  # fmt: skip
    client.post(
        reverse("petitions:decline", args=[declined.pk]), {"reason": "Đơn nặc danh, không rõ nội dung"}
    )
    client.post(reverse("petitions:transfer", args=[transferred.pk]), {"to": "Tòa án nhân dân khu vực 1"})
    accepted.refresh_from_db(), declined.refresh_from_db(), transferred.refresh_from_db()
    assert accepted.resolution_deadline == date(2026, 3, 16)
    assert declined.outcome == "rejected" and declined.rejection_reason
    assert transferred.outcome == "transferred" and transferred.transferred_to == "Tòa án nhân dân khu vực 1"
    # A second decision on the same letter is refused.
    response = client.post(reverse("petitions:decline", args=[accepted.pk]), {"reason": "Đổi ý"})
    assert response.status_code == 400
    accepted.refresh_from_db()
    assert accepted.outcome == "in_authority"


def test_roles_and_scope_on_handling(ward, other_ward, make_user):
    clerk = clerk_of(ward)
    petition = letter(ward, clerk)
    accept_url = reverse("petitions:accept", args=[petition.pk])
    data = {"accepted_on": "13/02/2026", "complexity": "normal", "complaint_round": "1"}
    assert login(make_user("monitor")).post(accept_url, data).status_code == 403
    assert login(make_user("handler")).post(accept_url, data).status_code == 403
    assert login(clerk_of(other_ward)).post(accept_url, data).status_code == 404
    assert login(clerk_of(other_ward)).get(reverse("petitions:handle", args=[petition.pk])).status_code == 404
    assert login(make_user("monitor")).get(reverse("petitions:written_create")).status_code == 403
    petition.refresh_from_db()
    assert petition.accepted_on is None


def test_assignment_without_notice_runs_the_usual_workflow(ward, django_capture_on_commit_callbacks):
    clerk = clerk_of(ward)
    agency = ward.bodies["UBND"]
    handler = handler_of(agency)
    petition = services.petition_accept(
        petition=letter(ward, clerk), by=clerk, accepted_on=date(2026, 2, 13), complexity="normal"
    )
    response = login(clerk).post(
        reverse("conclusions:petition_assign", args=[petition.pk]),
        {
            "task": "Xác minh, giải quyết khiếu nại",
            "lead_agency": agency.pk,
            "responsible_person": handler.pk,
        },
    )
    assignment = Assignment.objects.get()
    assert response.status_code == 302
    assert (assignment.notice, assignment.deadline, assignment.deadline_from) == (
        None, date(2026, 3, 16), date(2026, 2, 13),
    )  # fmt: skip
    assert "30 ngày" in assignment.deadline_rule_text
    assert Assignment.objects.open().filter(pk=assignment.pk).exists()
    assert handler.notifications.filter(text__contains=petition.tracking_code).exists()
    # The handler's pages and actions work as for a notice's assignment.
    page = login(handler).get(reverse("conclusions:assignment", args=[assignment.pk]))
    assert page.status_code == 200 and petition.tracking_code in page.content.decode()
    login(handler).post(
        reverse("conclusions:assignment_report", args=[assignment.pk]),
        {"answer_to_citizen": "Đã xác minh, bồi thường bổ sung theo quy định."},
    )
    assignment.refresh_from_db()
    assert assignment.status == "reported_done"
    assert clerk.notifications.filter(text__contains="báo cáo hoàn thành").exists()
    login(clerk).post(reverse("conclusions:assignment_accept", args=[assignment.pk]))
    assignment.refresh_from_db(), petition.refresh_from_db()
    assert assignment.status == "accepted" and petition.resolved_on is not None
    assert not Assignment.objects.open().filter(pk=assignment.pk).exists()
    response = login(clerk).post(
        reverse("petitions:answer", args=[petition.pk]),
        {"text": "Quyết định giải quyết khiếu nại lần đầu", "answered_on": "10/03/2026",
         "decision_ref": "25/QĐ-UBND", "is_public": "on"},
    )  # fmt: skip
    petition.refresh_from_db()
    assert (
        response.status_code == 302
        and petition.final_decision_ref == "25/QĐ-UBND"
        # A complaint's decision is never published, even when asked (issue 17: outcome only).
        and not petition.answer_is_public
    )


def test_final_answer_waits_for_open_assignments(ward):
    clerk = clerk_of(ward)
    petition = services.petition_accept(
        petition=letter(ward, clerk), by=clerk, accepted_on=date(2026, 2, 13), complexity="normal"
    )
    conclusion_services.petition_assignment_add(
        petition=petition, by=clerk, task="Giải quyết", lead_agency=ward.bodies["UBND"]
    )
    with pytest.raises(Exception, match="chưa nghiệm thu"):
        services.petition_record_answer(
            petition=petition, by=clerk, text="Xong", answered_on=date(2026, 3, 1)
        )


def test_recommendation_assignment_needs_a_date(ward):
    clerk = clerk_of(ward)
    petition = services.petition_accept(
        petition=letter(ward, clerk, kind="kien_nghi"),
        by=clerk,
        accepted_on=date(2026, 2, 13),
        complexity="normal",
    )
    response = login(clerk).post(
        reverse("conclusions:petition_assign", args=[petition.pk]),
        {"task": "Sửa đèn", "lead_agency": ward.bodies["UBND"].pk},
    )
    assert response.status_code == 400 and not Assignment.objects.exists()


def test_assign_refused_to_a_monitor_and_out_of_scope(ward, other_ward, make_user):
    clerk = clerk_of(ward)
    petition = services.petition_accept(
        petition=letter(ward, clerk), by=clerk, accepted_on=date(2026, 2, 13), complexity="normal"
    )
    url = reverse("conclusions:petition_assign", args=[petition.pk])
    assert login(make_user("monitor")).get(url).status_code == 403
    assert login(clerk_of(other_ward)).get(url).status_code == 404
    assert (
        login(make_user("leader")).get(reverse("conclusions:petition_extend", args=[petition.pk])).status_code
        == 200
    )
    assert login(clerk).get(reverse("conclusions:petition_extend", args=[petition.pk])).status_code == 403


def test_receipt_shows_the_tracking_code_and_public_page(ward):
    clerk = clerk_of(ward)
    petition = letter(ward, clerk)
    page = login(clerk).get(reverse("petitions:receipt", args=[petition.pk])).content.decode()
    assert petition.tracking_code in page and reverse("public:track") in page and "Bà Lê Thị Hoa" in page


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_transfer_slip_is_an_official_pdf(ward, tmp_path):
    """Numbered from the People's Committee's register, the address once, signed as the
    body's delegation says (not by the clerk who printed it)."""
    RegisterSettings.objects.create(
        body=ward.bodies["UBND"],
        numbering="shared",
        slip_sign_mode="KT.",
        slip_signer_title="Phó Chủ tịch",
        slip_signer_name="Trần Thị Duyệt",
    )
    clerk = clerk_of(ward, full_name="Phạm Văn Bấm", title="Chuyên viên")
    petition = services.petition_transfer(petition=letter(ward, clerk), by=clerk, to="UBND thành phố Hà Nội",
                                          on=date(2026, 2, 10))  # fmt: skip
    assert petition.transfer_entry.label == "01/PC-UBND"
    assert petition.transfer_entry.document == petition
    response = login(clerk).get(reverse("petitions:transfer_slip", args=[petition.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "slip.pdf"
    path.write_bytes(response.content)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    for expected in ("PHIẾU CHUYỂN ĐƠN", "Số: 01/PC-UBND", "Kính gửi: UBND thành phố Hà Nội",
                     "ngày 10 tháng 02 năm 2026", "Bà Lê Thị Hoa, địa chỉ: Tổ dân phố 3.", petition.tracking_code,
                     "KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "Trần Thị Duyệt"):  # fmt: skip
        assert expected in text
    assert text.count("Tổ dân phố 3") == 1
    assert "Phạm Văn Bấm" not in text and "CHUYÊN VIÊN" not in text


def test_denunciation_identity_display_is_logged(ward):
    clerk = clerk_of(ward)
    petition = denunciation(ward, clerk)
    page = login(clerk).get(reverse("petitions:handle", args=[petition.pk])).content.decode()
    assert DENOUNCER in page
    log = IdentityDisclosure.objects.get()
    assert (log.user, log.petition, log.where) == (
        clerk,
        petition,
        reverse("petitions:handle", args=[petition.pk]),
    )


def test_reception_session_and_its_petitions(ward):
    clerk, leader = clerk_of(ward), leader_of(ward)
    client = login(clerk)
    response = client.post(
        reverse("petitions:reception_create"),
        {"held_on": "15/01/2026", "receiving_leader": leader.pk, "place": "Trụ sở UBND", "people_count": 3},
    )
    session = ReceptionSession.objects.get()
    assert response.status_code == 302 and session.receiving_leader == leader
    client.post(
        reverse("petitions:written_create") + f"?reception={session.pk}",
        _form(channel="reception", received_on="15/01/2026", reception=session.pk),
    )
    petition = Petition.objects.get()
    assert (petition.reception, petition.channel) == (session, "reception")
    page = client.get(reverse("petitions:reception", args=[session.pk])).content.decode()
    assert petition.tracking_code in page
    # A clerk cannot be named as the receiving leader.
    response = client.post(reverse("petitions:reception_create"), {"held_on": "15/01/2026", "receiving_leader": clerk.pk,
                                                                   "people_count": 1})  # fmt: skip
    assert response.status_code == 200 and ReceptionSession.objects.count() == 1


@pytest.mark.parametrize("rows", [3, 30])
def test_register_query_count_is_constant(ward, rows, django_assert_max_num_queries):
    clerk = clerk_of(ward)
    for _ in range(rows):
        letter(ward, clerk)
    client = login(clerk)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("petitions:register"))
    assert response.status_code == 200
    assert response.content.decode().count("<code>") == rows


def test_identity_log_is_for_top_level_admins_only(ward, make_user):
    from tests.factories import UserFactory

    city_admin = UserFactory(agency=ward.parent, is_sysadmin=True)
    url = reverse("admin:petitions_identitydisclosure_changelist")
    clerk = clerk_of(ward)
    petition = denunciation(ward, clerk)
    login(clerk).get(reverse("petitions:handle", args=[petition.pk]))
    page = login(city_admin).get(url)
    assert (
        page.status_code == 200 and reverse("petitions:handle", args=[petition.pk]) in page.content.decode()
    )
    assert DENOUNCER not in page.content.decode()
    assert login(make_user("admin")).get(url).status_code == 403


def test_demo_written_petitions_are_idempotent(ward):
    from petitions.demo import _written_demo
    from petitions.models import Category

    clerk = clerk_of(ward)
    leader_of(ward, username="leader")
    categories = {category.name: category for category in Category.objects.all()}
    _written_demo(clerk, categories)
    _written_demo(clerk, categories)
    assert Petition.objects.written().count() == 4 and ReceptionSession.objects.get().petitions.count() == 1
    transferred = Petition.objects.get(outcome="transferred")
    assert (
        transferred.transfer_entry.label == "01/PC-UBND"
        and transferred.transfer_entry.document == transferred
    )
    assert Petition.objects.get(kind="khieu_nai", outcome="in_authority").resolution_deadline == date(
        2026, 3, 16
    )


def test_a_body_without_settings_signs_its_slips_for_the_committee(ward):
    """No delegation recorded yet: TM. the committee, its chair's title, the name left blank
    to sign by hand; never the clerk who printed it."""
    from petitions.slip import transfer_slip_context

    clerk = clerk_of(ward, full_name="Phạm Văn Bấm")
    petition = services.petition_transfer(
        petition=letter(ward, clerk), by=clerk, to="Sở Xây dựng", on=date(2026, 2, 10)
    )
    context = transfer_slip_context(petition)
    assert context["signature_lines"] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"] and context["signer_name"] == ""
    assert context["number_text"] == "Số: 01/PC-UBND"
