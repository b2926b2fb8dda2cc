"""A clerk searches the opinions in a real browser: the page comes at once saying "more than a
page", and the exact count, asked for by htmx once the page has loaded, takes its place."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory, conference_for, petition_for, ward_with_bodies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-9"


@pytest.fixture
def clerk(city, monkeypatch):
    monkeypatch.setattr("petitions.views.PAGE_SIZE", 2)  # the live server runs in this process
    ward, other = ward_with_bodies(city, "Bồ Đề"), ward_with_bodies(city, "Cầu Giấy")
    conference = conference_for(ward, status="held")
    for lane in (12, 58, 192):
        petition_for(conference, content=f"Cải tạo hệ thống thoát nước ngõ {lane}")
    petition_for(conference, content="Lắp đèn chiếu sáng ngõ 110")
    petition_for(conference_for(other, status="held"), content="Thoát nước phố Trần Thái Tông")
    return UserFactory(
        username="clerk", full_name="Trần Thị Thu Hà", agency=ward.bodies["UBND"], is_clerk=True
    )


def test_clerk_searches_and_sees_the_count_arrive(page, clerk):
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("clerk")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    page.get_by_role("link", name="Ý kiến, kiến nghị", exact=True).click()

    search = page.get_by_label("Tìm theo nội dung")
    search.fill("thoat nuoc")
    with (
        page.expect_response(lambda response: "_count=1" in response.url) as counted,
        page.expect_response(
            lambda response: "q=thoat" in response.url and "_count" not in response.url
        ) as listed,
    ):
        search.press("Enter")
    # The page as served: its rows, "more than 2" and no count yet.
    assert "Hơn 2 ý kiến" in listed.value.text() and "data-list-count" not in listed.value.text()
    assert counted.value.request.headers.get("hx-request") == "true"

    expect(page.locator("tbody tr")).to_have_count(2)
    count_line = page.locator("p[aria-live='polite']")
    expect(count_line).to_have_text("3 ý kiến")  # the ward's three: not Cầu Giấy's
    expect(count_line.locator("[data-list-count]")).to_have_attribute("data-list-count", "3")
    # The count's answer gave the pagination its total too ("Trang 1" while counting).
    expect(page.locator("#list-page-label")).to_have_text("Trang 1/2")

    # The last page knows its count from its own rows.
    page.get_by_role("link", name="Sau").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("[data-list-count]")).to_have_attribute("data-list-count", "3")
    expect(page.get_by_text("Trang 2/2", exact=True)).to_be_visible()
