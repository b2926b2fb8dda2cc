"""Traps 2 and 4 of issue 19 on the notice page's assignment panel: the fields had a third of
a narrow column ("Đến n…", "dd/mm/y"), coordinating agencies needed Ctrl+click, and a deadline
already past was accepted without a word. Now the fields take the panel's width, agencies are
ticked from a list filtered by accent-free typing, and a past, today or day-off deadline is
refused once with a warning and kept when the clerk confirms it."""

import pytest
from playwright.sync_api import expect

from conclusions.models import Assignment
from tests.conclusions.helpers import draft_notice, held_conference
from tests.factories import UserFactory, ward_with_bodies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-9"


@pytest.fixture
def notice(city):
    ward = ward_with_bodies(city, "Bồ Đề")
    clerk = UserFactory(
        username="clerk", full_name="Trần Thị Thu Hà", agency=ward.bodies["UBND"], is_clerk=True
    )
    return draft_notice(ward, clerk, conference=held_conference(ward, 1))


def test_assignment_panel_has_room_filters_agencies_and_warns_of_a_past_deadline(page, notice):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("clerk")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    page.goto(f"/ket-luan/thong-bao/{notice.pk}/")

    # Room: the rule and the date are as wide as the panel, not a third of it.
    rule_box = page.get_by_label("Cách tính hạn").bounding_box()
    date_box = page.get_by_label("Hạn (ngày cụ thể)").bounding_box()
    task_box = page.get_by_label("Nội dung công việc").bounding_box()
    assert rule_box["width"] >= task_box["width"] - 1 and date_box["width"] >= task_box["width"] - 1

    page.get_by_label("Thuộc mục kết luận").select_option(index=1)
    page.get_by_label("Cơ quan chủ trì").select_option(label="Ủy ban nhân dân phường Bồ Đề")
    page.get_by_label("Nội dung công việc").fill("Kiểm tra, xử lý lấn chiếm vỉa hè")

    # Coordinating agencies by keyboard, typed without accents.
    page.get_by_label("Tìm cơ quan phối hợp").fill("uy ban mttq")
    front = page.get_by_label("Ủy ban MTTQ", exact=False)
    expect(front).to_be_visible()
    expect(page.get_by_label("Đảng ủy phường Bồ Đề", exact=False)).to_be_hidden()
    page.keyboard.press("Enter")  # not a submission
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(front).to_be_checked()

    # A deadline already past: refused once, with the reason beside the field.
    page.get_by_label("Hạn (ngày cụ thể)").fill("01/12/2026")
    page.get_by_role("button", name="Giao việc").click()
    expect(page.get_by_text("Hạn 01/12/2026 đã qua.", exact=False)).to_be_visible()
    assert not Assignment.objects.filter(task="Kiểm tra, xử lý lấn chiếm vỉa hè").exists()

    page.get_by_label("Vẫn giữ hạn này").check()
    page.get_by_role("button", name="Giao việc").click()
    expect(page.get_by_text("Đã giao việc.")).to_be_visible()
    saved = Assignment.objects.get(task="Kiểm tra, xử lý lấn chiếm vỉa hè")
    assert [agency.symbol for agency in saved.coordinating_agencies.all()] == ["MTTQ"]
