"""Issue 8, in a real browser: a clerk logs a letter of complaint received just before Tết
2026, accepts it, the deadlines land on the right working days, it is assigned and answered;
the citizen follows it on the public page by its tracking code, without logging in."""

import pytest
from playwright.sync_api import expect

from conclusions.models import Assignment
from petitions.models import Petition
from tests.factories import UserFactory, ward_with_bodies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-9"
PETITIONER = "Bà Nguyễn Thị Khiếu Nại"


@pytest.fixture
def ward(city):
    ward = ward_with_bodies(city, "Bồ Đề")
    committee = ward.bodies["UBND"]
    UserFactory(username="clerk", full_name="Trần Thị Thu Hà", agency=committee, is_clerk=True)
    UserFactory(username="handler", full_name="Lê Quang Huy", agency=committee, is_handler=True)
    return ward


@pytest.fixture
def contexts():
    opened = []
    yield opened
    for context in opened:
        context.close()


def open_as(browser, live_server, contexts, username=None):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    if username:
        page.goto("/tai-khoan/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_label("Mật khẩu").press("Enter")
        expect(page.get_by_role("heading", name="Xin chào", exact=False)).to_be_visible()
    return page


def test_letter_of_complaint_from_intake_to_public_answer(browser, live_server, ward, contexts):
    # The clerk logs the letter received on Friday 06/02/2026.
    clerk = open_as(browser, live_server, contexts, "clerk")
    clerk.goto("/y-kien/don/")
    clerk.get_by_role("link", name="Vào sổ đơn").click()
    clerk.get_by_label("Ngày nhận đơn").fill("06/02/2026")
    clerk.get_by_label("Loại đơn").select_option(label="Khiếu nại")
    clerk.get_by_label("Lĩnh vực").select_option(label="Đất đai – GPMB – tái định cư")
    clerk.get_by_label("Họ tên / tên tổ chức").fill(PETITIONER)
    clerk.get_by_label("Số CCCD/định danh").fill("001190099999")
    clerk.get_by_label("Nội dung đơn").fill("Khiếu nại quyết định thu hồi đất làm đường ngõ 12.")
    clerk.get_by_role("button", name="Vào sổ", exact=True).click()
    expect(clerk.get_by_text("Đã vào sổ đơn.", exact=False)).to_be_visible()
    # 10 days (Luật Khiếu nại 2011 Điều 27): the tenth, 16/02/2026, is in Tết (16–20/02),
    # so the deadline is the next working day after it and its weekend, Monday 23/02/2026.
    expect(clerk.get_by_test_id("acceptance-deadline")).to_contain_text("23/02/2026")
    petition = Petition.objects.get()

    # Accepted on Friday 13/02/2026: 30 days end on Sunday 15/03, so Monday 16/03/2026.
    clerk.get_by_label("Ngày thụ lý").fill("13/02/2026")
    clerk.get_by_role("button", name="Thụ lý", exact=True).click()
    expect(clerk.get_by_test_id("resolution-deadline")).to_contain_text("16/03/2026")

    # Assigned to the ward's People's Committee: the deadline is the statutory one.
    clerk.get_by_role("link", name="Giao việc giải quyết").click()
    clerk.get_by_label("Nội dung công việc").fill("Xác minh, đề xuất giải quyết khiếu nại")
    clerk.get_by_label("Cơ quan chủ trì").select_option(label="Ủy ban nhân dân phường Bồ Đề")
    clerk.get_by_role("button", name="Giao việc").click()
    expect(clerk.get_by_text("Đã giao việc giải quyết đơn.")).to_be_visible()
    expect(clerk.get_by_text("16/03/2026", exact=True)).to_be_visible()
    assignment_url = clerk.url

    # The handler finds it through the bell and reports the answer.
    handler = open_as(browser, live_server, contexts, "handler")
    handler.goto("/tai-khoan/thong-bao/")
    handler.get_by_role("link", name=petition.tracking_code, exact=False).click()
    handler.get_by_label("Văn bản trả lời người dân").fill("Đã xác minh; bồi thường bổ sung theo quy định.")
    handler.get_by_role("button", name="Báo cáo hoàn thành").click()
    expect(handler.get_by_text("chờ nơi giao việc nghiệm thu")).to_be_visible()

    # The clerk accepts the work and records the decision (a complaint's decision goes to the
    # complainant: the page offers no box to publish it).
    clerk.goto(assignment_url)
    clerk.get_by_role("button", name="Nghiệm thu").click()
    clerk.get_by_role("dialog").get_by_role("button", name="Nghiệm thu").click()  # irreversible: confirmed
    expect(clerk.get_by_text("Đã nghiệm thu.")).to_be_visible()
    assert Assignment.objects.get().status == "accepted"
    clerk.goto(f"/y-kien/{petition.pk}/xu-ly/")
    clerk.get_by_label("Kết quả giải quyết, nội dung trả lời").fill("Chấp nhận một phần nội dung khiếu nại.")
    clerk.get_by_label("Ngày trả lời, quyết định").fill("10/03/2026")
    clerk.get_by_label("Số văn bản, quyết định").fill("25/QĐ-UBND")
    expect(clerk.get_by_label("Công khai kết quả")).to_have_count(0)
    clerk.get_by_role("button", name="Ghi kết quả").click()
    expect(clerk.get_by_text("Đã ghi kết quả giải quyết.")).to_be_visible()

    # The citizen, not logged in, follows it by the code on the receipt.
    citizen = open_as(browser, live_server, contexts)
    citizen.goto("/cong-khai/")
    citizen.get_by_label("Mã tra cứu").fill(petition.tracking_code.lower())
    citizen.get_by_role("button", name="Tra cứu").click()
    steps = citizen.get_by_test_id("public-steps")
    for text in ("Đã tiếp nhận", "Đã thụ lý", "16/03/2026", "Giao Ủy ban nhân dân phường Bồ Đề giải quyết",
                 "Đã giải quyết xong"):  # fmt: skip
        expect(steps).to_contain_text(text)
    # Only the outcome of a complaint is public, never the decision's text (issue 17).
    expect(steps).not_to_contain_text("Chấp nhận một phần nội dung khiếu nại.")
    expect(citizen.get_by_text(PETITIONER)).to_have_count(0)

    # A mistyped code is told so, not shown someone else's letter.
    citizen.get_by_label("Mã tra cứu").fill("ABCDE-23456")
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.get_by_text("Không tìm thấy", exact=False)).to_be_visible()
