"""Issue 18, in a real browser: a leader issues the periodic report to the Fatherland Front and
has the app issue a denunciation's extension decision; each gets its number from the body's
one register (02/BC, then 03/QĐ after a transfer slip's 01/PC), its file is made by the worker,
and the page links the public check, which a citizen opens without logging in."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dashboards.models import IssuedReport
from dashboards.tasks import issued_report_render_pdf
from petitions import services as petition_services
from petitions.models import StatutoryExtension
from petitions.tasks import extension_decision_render_pdf
from tests.conclusions.helpers import leader_of
from tests.petitions.written_helpers import clerk_of, denunciation, letter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-9"  # tests.factories.UserFactory's


def log_in(page, username: str) -> None:
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", name="Xin chào", exact=False)).to_be_visible()


def test_a_leader_issues_the_report_and_the_decision_from_one_register(page, ward, unsigned):
    clerk = clerk_of(ward)
    leader_of(ward, username="chutich", title="Chủ tịch")
    petition_services.petition_transfer(petition=letter(ward, clerk), by=clerk, to="UBND thành phố")  # 01/PC
    case = petition_services.petition_accept(
        petition=denunciation(ward, clerk), by=clerk, accepted_on=date(2026, 3, 2), complexity="complex"
    )
    log_in(page, "chutich")

    # The periodic report: the figures come from the records, the leader types the rest.
    page.goto(reverse("dashboards:periodic_report"))
    page.locator("[name=start]").fill("01/01/2026")
    page.locator("[name=end]").fill("30/06/2026")
    page.get_by_label("Tồn tại, hạn chế").fill("Việc theo dõi kết luận chưa thật chặt chẽ.")
    page.get_by_label("Đề xuất, kiến nghị").fill("Đề nghị tăng cường giám sát.")
    page.get_by_label("Họ tên người ký").fill("Nguyễn Văn Luyện")
    page.get_by_test_id("issue-report").click()
    expect(page.get_by_text("02/BC-UBND").first).to_be_visible()
    expect(page.get_by_text("Tệp PDF đang được tạo", exact=False)).to_be_visible()
    issued_report_render_pdf.apply(args=[IssuedReport.objects.get().pk]).get()  # the worker
    page.reload()
    expect(page.get_by_text("không có chữ ký số", exact=False).first).to_be_visible()

    # The extension decision, issued by the app: the next number of the same register.
    page.goto(reverse("conclusions:petition_extend", args=[case.pk]))
    page.get_by_label("Tính chất vụ việc").select_option("complex")
    page.get_by_label("Ngày quyết định").fill("25/03/2026")
    page.get_by_label("Ban hành Quyết định gia hạn trên phần mềm").check()
    page.get_by_label("Lý do gia hạn").fill("Phải xác minh tại hai địa điểm")
    page.get_by_role("button", name="Gia hạn", exact=True).click()
    expect(page.get_by_text("03/QĐ-UBND").first).to_be_visible()
    extension = StatutoryExtension.objects.get(petition=case)
    assert extension.decision_entry.label == "03/QĐ-UBND"
    extension_decision_render_pdf.apply(args=[extension.pk]).get()  # the worker

    # Anyone can check it by the code printed on it, without logging in.
    code = extension.decision_entry.issued_document.verify_code
    page.context.clear_cookies()
    page.goto(f"/cong-khai/van-ban/{code.lower()}/")
    expect(page.get_by_text("03/QĐ-UBND").first).to_be_visible()
    expect(page.get_by_text(extension.decision_entry.issued_document.pdf_sha256)).to_be_visible()
