"""Issue 14, in a real browser: a clerk opens "Tính thời hạn" from the petitions register,
asks for a complaint's acceptance deadline across Tết 2026 and a denunciation's resolution
deadline with two extensions, sees each with how it was counted, and a wrong date is refused
beside its field."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_written_petition import contexts, open_as, ward  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_computes_deadlines_with_their_explanation(browser, live_server, ward, contexts):  # noqa: F811
    clerk = open_as(browser, live_server, contexts, "clerk")
    clerk.goto("/y-kien/don/")
    clerk.get_by_role("link", name="Tính thời hạn").click()
    expect(clerk.get_by_role("heading", name="Tính thời hạn")).to_be_visible()

    # Luật Khiếu nại 2011 Đ.27: 10 days from Friday 06/02/2026; the tenth (16/02) is in Tết.
    clerk.get_by_label("Thủ tục").select_option(value="complaint-acceptance")
    clerk.get_by_label("Ngày bắt đầu tính", exact=False).fill("06/02/2026")
    clerk.get_by_role("button", name="Tính", exact=True).click()
    expect(clerk.get_by_test_id("deadline-result")).to_have_text("23/02/2026")
    explanation = clerk.get_by_test_id("deadline-explanation")
    expect(explanation).to_contain_text("16/02/2026")
    expect(explanation).to_contain_text("Giao thừa Tết Nguyên Đán")
    expect(explanation).to_contain_text("Điều 27")

    # Luật Tố cáo 2018 Đ.30: 90 days from Thursday 12/02/2026 with two extensions.
    clerk.get_by_label("Thủ tục").select_option(value="denunciation-resolution")
    clerk.get_by_label("Ngày bắt đầu tính", exact=False).fill("12/02/2026")
    clerk.get_by_label("Số lần gia hạn giải quyết tố cáo").select_option("2")
    clerk.get_by_role("button", name="Tính", exact=True).click()
    expect(clerk.get_by_test_id("deadline-result")).to_have_text("13/05/2026")
    expect(clerk.get_by_test_id("deadline-rule")).to_contain_text("tổng 90 ngày")

    # A day that does not exist is refused beside its field, with no answer shown.
    clerk.get_by_label("Ngày bắt đầu tính", exact=False).fill("31/02/2026")
    clerk.get_by_role("button", name="Tính", exact=True).click()
    expect(clerk.get_by_text("Ngày không có thật", exact=False)).to_be_visible()
    expect(clerk.get_by_test_id("deadline-result")).to_have_count(0)
