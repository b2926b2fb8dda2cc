"""The notice prints its assignments from their data: after each item ("Giao … chủ trì, phối
hợp …; thời hạn dd/mm/yyyy") or, as the body chooses, in an appendix table. The preview page
and the PDF are the same template, so a change in the draft shows in both."""

import re
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import OrgUnit
from conclusions import services
from registers.models import RegisterSettings
from tests.conclusions.helpers import draft_notice, leader_of
from tests.conftest import login
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def agencies(ward):
    for symbol, name, kind in [
        ("CA", "Công an phường Bồ Đề", OrgUnit.Kind.POLICE),
        ("VHXH", "Phòng Văn hóa - Xã hội phường Bồ Đề", OrgUnit.Kind.SPECIALISED_OFFICE),
        ("KTHTĐT", "Phòng Kinh tế, Hạ tầng và Đô thị phường Bồ Đề", OrgUnit.Kind.SPECIALISED_OFFICE),
    ]:
        ward.bodies[symbol] = OrgUnitFactory(parent=ward, name=name, kind=kind, symbol=symbol)


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(data)
    return flat(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    )


def html_text(data: bytes) -> str:
    return flat(re.sub(r"<[^>]+>", " ", data.decode()))


def add(notice, clerk, ward, *, on=date(2027, 12, 31), rule="date", days=None, item=1):
    return services.assignment_add(
        notice=notice,
        by=clerk,
        item=list(notice.items.all())[item],
        task="Trả lời các ý kiến của Nhân dân về trật tự đô thị",
        lead_agency=ward.bodies["CA"],
        coordinating_agencies=[ward.bodies["VHXH"], ward.bodies["KTHTĐT"]],
        deadline=services.DeadlineSpec(rule=rule, on=on if rule == "date" else None, days=days),
    )


def both(client, notice, tmp_path) -> tuple[str, str]:
    preview = client.get(reverse("conclusions:notice_preview", args=[notice.pk]))
    draft_pdf = client.get(reverse("conclusions:notice_pdf", args=[notice.pk]))
    assert preview.status_code == 200 and draft_pdf["Content-Type"] == "application/pdf"
    return html_text(preview.content), pdf_text(draft_pdf.content, tmp_path)


def expected(day: str) -> str:
    return (
        "Giao Công an phường Bồ Đề chủ trì, phối hợp với Phòng Văn hóa - Xã hội phường Bồ Đề, "
        "Phòng Kinh tế, Hạ tầng và Đô thị phường Bồ Đề trả lời các ý kiến của Nhân dân về trật tự đô thị; "
        f"thời hạn {day}."
    )


def test_a_changed_deadline_changes_the_preview_and_the_draft_pdf(ward, make_user, tmp_path):
    clerk = make_user("clerk")
    notice = draft_notice(ward, clerk)
    assignment = add(notice, clerk, ward)
    client = login(clerk)
    preview, printed = both(client, notice, tmp_path)
    for text in (preview, printed):
        assert expected("31/12/2027") in text
        # Right after item 2's own text, before item 3.
        assert (
            text.index("2. Giao UBND Phường") < text.index(expected("31/12/2027")) < text.index("3. Định kỳ")
        )

    # The clerk changes the deadline the way the pages do: remove, then give it again.
    assert client.post(reverse("conclusions:assignment_remove", args=[assignment.pk])).status_code == 302
    add(notice, clerk, ward, on=date(2027, 11, 15))
    preview, printed = both(client, notice, tmp_path)
    for text in (preview, printed):
        assert expected("15/11/2027") in text and "31/12/2027" not in text


def test_a_deadline_in_days_prints_as_days_before_issue_and_as_a_date_after(ward, make_user, tmp_path):
    clerk = make_user("clerk")
    notice = draft_notice(ward, clerk)
    add(notice, clerk, ward, rule="working_days", days=10)
    preview, printed = both(login(clerk), notice, tmp_path)
    for text in (preview, printed):
        assert "thời hạn 10 ngày làm việc kể từ ngày ban hành Thông báo." in text
    notice = services.notice_issue(notice=notice, by=leader_of(ward), issued_on=date(2026, 2, 13))
    # 10 working days after Friday 13/02/2026, the Tết holidays (16–20/02) skipped: 06/03/2026.
    text = html_text(login(clerk).get(reverse("conclusions:notice_preview", args=[notice.pk])).content)
    assert expected("06/03/2026") in text


def test_a_body_may_print_an_appendix_table_instead(ward, make_user, tmp_path):
    clerk = make_user("clerk")
    RegisterSettings.objects.create(
        body=ward.bodies["UBND"], numbering="shared", assignments_layout="appendix"
    )
    notice = draft_notice(ward, clerk)
    add(notice, clerk, ward)
    preview, printed = both(login(clerk), notice, tmp_path)
    for text in (preview, printed):
        assert "Giao Công an" not in text
        assert "PHỤ LỤC PHÂN CÔNG THỰC HIỆN" in text
        assert "(Kèm theo Thông báo số …/TB-UBND ngày …/…/… của Ủy ban nhân dân phường Bồ Đề)" in text
        # Table cells wrap, and pdftotext reads a wrapped row line by line: the cells' first lines.
        assert "Trả lời các ý kiến" in text and "Công an" in text and "31/12/2027" in text
    assert "Trả lời các ý kiến của Nhân dân về trật tự đô thị" in preview
