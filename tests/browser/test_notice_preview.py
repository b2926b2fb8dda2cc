"""The notice's preview in Chromium has the PDF's header: the national name on one line, the
place before the date, the rule under the motto centred under it; and it prints its
assignments. Screenshots of both (var/screenshots/notice-preview.png, notice-pdf-1.png) are
kept to look at."""

import subprocess
from datetime import date
from pathlib import Path

import pytest

from conclusions import services
from tests.conclusions.helpers import draft_notice
from tests.factories import UserFactory, ward_with_bodies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-9"
SHOTS = Path("var/screenshots")


@pytest.fixture
def notice(city):
    ward = ward_with_bodies(city, "Bồ Đề")
    clerk = UserFactory(
        username="clerk", full_name="Trần Thị Thu Hà", agency=ward.bodies["UBND"], is_clerk=True
    )
    notice = draft_notice(ward, clerk)
    services.assignment_add(
        notice=notice,
        by=clerk,
        item=notice.items.get(position=2),
        task="Trả lời các ý kiến của Nhân dân",
        lead_agency=ward.bodies["MTTQ"],
        deadline=services.DeadlineSpec(rule="date", on=date(2027, 3, 31)),
    )
    return notice


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_the_preview_header_is_the_pdfs(page, notice, client, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1100, "height": 1400})
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("clerk")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    page.wait_for_url("**/")
    page.goto(f"/ket-luan/thong-bao/{notice.pk}/xem-truoc/")
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(SHOTS / "notice-preview.png"), full_page=True)

    nation, slogan, rule = box(page, ".nation"), box(page, ".slogan"), box(page, ".slogan .ruled")
    assert nation["height"] < 1.5 * slogan["height"]  # one line, as in the PDF
    assert abs((rule["x"] + rule["width"] / 2) - (nation["x"] + nation["width"] / 2)) < 2  # centred
    assert page.locator(".place-date").inner_text().startswith("Bồ Đề, ngày")
    assert page.locator(".number").inner_text() == "Số: …/TB-UBND"
    assert (
        "Giao Ủy ban MTTQ Việt Nam phường Bồ Đề chủ trì trả lời các ý kiến của Nhân dân; thời hạn 31/03/2027."
        in (page.locator(".body").inner_text())
    )
    # The font is the shipped one, not a fallback.
    assert page.evaluate("document.fonts.check('14pt \"LiberationSerif DoiThoai\"')")

    client.force_login(notice.created_by)
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(client.get(f"/ket-luan/thong-bao/{notice.pk}/pdf/").content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(SHOTS / "notice-pdf")],
        check=True,
    )
