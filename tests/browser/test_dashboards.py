"""The boards in a real browser: a leader and a monitor reach the most overdue agency's items
in two clicks from the home page; a city monitor picks a ward with the accent-free type-ahead
and the monthly chart is drawn."""

import re

import pytest
from playwright.sync_api import expect

from tests.dashboards.boards_data import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-9"


@pytest.fixture
def boards(city):
    return build(city)


def sign_in(page, username):
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", name="Xin chào", exact=False)).to_be_visible()


def expect_the_office_items(page, boards):
    expect(page.get_by_role("heading", name="Việc được giao")).to_be_visible()
    expect(page.locator("[data-list-count]")).to_have_attribute("data-list-count", "3")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    for index in range(3):
        expect(rows.nth(index)).to_contain_text(boards.office.name)
    expect(rows.first).to_contain_text("Quá hạn 40 ngày")


def test_leader_reaches_the_most_overdue_agency_in_two_clicks(page, boards):
    sign_in(page, "lanhdao")
    page.get_by_role("link", name="Xem việc quá hạn theo cơ quan").click()  # click 1
    expect(page.get_by_role("heading", name="Việc quá hạn và sắp đến hạn theo cơ quan")).to_be_visible()
    first_row = page.locator(".review-table tbody tr").first
    expect(first_row.get_by_role("rowheader")).to_have_text(boards.office.name)
    first_row.locator("td").first.get_by_role("link").click()  # click 2: its overdue items
    expect_the_office_items(page, boards)


def test_leader_reminds_an_agency_now(page, boards):
    sign_in(page, "lanhdao")
    page.goto("/theo-doi/qua-han/")
    page.get_by_role("button", name=f"Nhắc ngay {boards.office.name}").click()
    expect(page.get_by_text("Đã nhắc", exact=False)).to_be_visible()
    page.get_by_role("button", name=f"Nhắc ngay {boards.office.name}").click()
    expect(page.get_by_text("một lần trong một giờ", exact=False)).to_be_visible()


def test_monitor_reaches_the_most_overdue_agency_in_two_clicks(page, boards):
    sign_in(page, "giamsat")
    page.get_by_role("link", name="Mở bảng theo dõi giám sát").first.click()  # click 1
    expect(page.get_by_role("heading", name="Theo dõi, giám sát đối thoại", exact=False)).to_be_visible()
    first_row = page.locator("[data-ranking=agency] tbody tr").first
    expect(first_row).to_contain_text(boards.office.name)
    first_row.locator("[data-figure=ranking-overdue]").click()  # click 2
    expect_the_office_items(page, boards)


def test_city_monitor_picks_a_ward_by_typing_without_accents(page, boards):
    sign_in(page, "giamsat_tp")
    page.goto("/theo-doi/giam-sat/")
    chooser = page.get_by_role("combobox")
    chooser.fill("cau giay")
    page.get_by_role("option", name="Phường Cầu Giấy", exact=False).click()
    expect(chooser).to_have_value("Phường Cầu Giấy")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("main p.text-muted").first).to_contain_text("Phường Cầu Giấy")
    expect(page.locator("[data-figure=conferences-held]")).to_have_text("1")
    # The chart is drawn by the vendored Chart.js from the json_script data.
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('trend-chart'))")


def test_report_area_is_chosen_with_the_same_type_ahead(page, boards):
    sign_in(page, "giamsat_tp")
    page.goto("/theo-doi/bao-cao/thong-ke/")
    chooser = page.get_by_role("combobox", name="Địa bàn")
    chooser.fill("")
    chooser.fill("cau giay")
    page.get_by_role("option", name="Phường Cầu Giấy", exact=False).click()
    expect(chooser).to_have_value("Phường Cầu Giấy")
    page.get_by_role("button", name="Xem thống kê").click()
    expect(page).to_have_url(re.compile(rf"[?&]area={boards.other.pk}(&|$)"))
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Phường Cầu Giấy")
    expect(page.get_by_role("combobox", name="Địa bàn")).to_have_value("Phường Cầu Giấy")
