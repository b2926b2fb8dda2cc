"""Trap 1 of issue 19: save a create form, press the browser's Back, save again. The old pages
saved everything twice; now the second submission of the same rendered form shows what the
first one saved (core.once)."""

import pytest
from playwright.sync_api import expect

from core.once import ALREADY_SUBMITTED
from dialogue.models import Conference
from petitions.models import Petition
from tests.factories import UserFactory, conference_for, ward_with_bodies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-9"


@pytest.fixture
def conference(city):
    ward = ward_with_bodies(city, "Bồ Đề")
    UserFactory(username="clerk", full_name="Trần Thị Thu Hà", agency=ward.bodies["UBND"], is_clerk=True)
    return conference_for(ward, status="held", title="Hội nghị đối thoại năm 2026")


def sign_in(page):
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("clerk")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", name="Xin chào", exact=False)).to_be_visible()


def resubmit_after_back(page, button_name):
    """The clerk's gesture: Back to the filled form, save again (as it was on the screen)."""
    page.go_back()
    page.get_by_role("button", name=button_name).click()


def test_fast_entry_saved_again_after_back_is_not_duplicated(page, conference):
    sign_in(page)
    page.goto(f"/y-kien/hoi-nghi/{conference.pk}/nhap/")
    page.locator("#id_rows-0-petitioner_name").fill("Ông Nguyễn Văn Thành")
    page.locator("#id_rows-0-category").select_option(index=1)
    page.locator("#id_rows-0-content").fill("Lắp đèn chiếu sáng ngõ 110 Nguyễn Sơn")
    page.get_by_role("button", name="Lưu tất cả").click()
    expect(page.get_by_text("Đã lưu 1 ý kiến.")).to_be_visible()

    resubmit_after_back(page, "Lưu tất cả")

    expect(page.get_by_text(str(ALREADY_SUBMITTED))).to_be_visible()
    expect(page).to_have_url(f"{page.url.split('/hoi-nghi/')[0]}/hoi-nghi/{conference.pk}/")
    assert Petition.objects.filter(conference=conference).count() == 1


def test_a_form_with_errors_can_be_corrected_and_saved_with_the_same_token(page, conference):
    sign_in(page)
    page.goto(f"/y-kien/hoi-nghi/{conference.pk}/nhap/")
    page.locator("#id_rows-0-petitioner_name").fill("Bà Lê Thị Hoa")
    page.locator("#id_rows-0-category").select_option(index=1)
    page.get_by_role("button", name="Lưu tất cả").click()  # no content: refused, nothing saved
    expect(page.get_by_text("Chưa lưu ý kiến nào")).to_be_visible()
    page.locator("#id_rows-0-content").fill("Ngập úng ngõ 192 mỗi khi mưa to")
    page.get_by_role("button", name="Lưu tất cả").click()
    expect(page.get_by_text("Đã lưu 1 ý kiến.")).to_be_visible()
    assert Petition.objects.filter(conference=conference).count() == 1


def test_conference_planned_again_after_back_is_not_duplicated(page, conference):
    sign_in(page)
    page.goto("/hoi-nghi/them/")
    page.get_by_label("Tên hội nghị").fill("Hội nghị đối thoại quý IV")
    page.get_by_label("Ngày").fill("28/12/2026")
    page.get_by_label("Giờ").fill("14:00")
    page.get_by_label("Địa điểm").fill("Hội trường UBND phường Bồ Đề")
    page.get_by_label("Chủ trì").fill("Nguyễn Thị Thanh Hằng – Bí thư Đảng ủy phường")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lên kế hoạch hội nghị")).to_be_visible()

    resubmit_after_back(page, "Lưu")

    expect(page.get_by_text(str(ALREADY_SUBMITTED))).to_be_visible()
    assert Conference.objects.filter(title="Hội nghị đối thoại quý IV").count() == 1
