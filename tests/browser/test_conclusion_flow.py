"""Seed 004's conclusion, in a real browser: a clerk drafts it, a leader issues it, the PDF
downloads with its number, a handler reports one assignment done and the clerk accepts it."""

import subprocess

import pytest
from playwright.sync_api import expect

from conclusions.models import Assignment, ConclusionNotice
from conclusions.tasks import notices_render_pending
from tests.conclusions.helpers import SEED_004_ITEMS
from tests.factories import UserFactory, conference_for, petition_for, ward_with_bodies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-9"


@pytest.fixture
def setting(city):
    ward = ward_with_bodies(city, "Bồ Đề")
    committee = ward.bodies["UBND"]
    UserFactory(username="clerk", full_name="Trần Thị Thu Hà", agency=committee, is_clerk=True)
    UserFactory(
        username="leader",
        full_name="Nguyễn Văn Luyện",
        title="Chủ tịch UBND phường",
        agency=committee,
        is_leader=True,
    )
    UserFactory(username="handler", full_name="Lê Quang Huy", agency=committee, is_handler=True)
    conference = conference_for(ward, status="held", title="Hội nghị đối thoại năm 2026")
    petition_for(conference, content="Đề nghị nạo vét rãnh thoát nước ngõ 22")
    petition_for(conference, content="Phản ánh lấn chiếm vỉa hè phố Nguyễn Văn Cừ")
    return conference


@pytest.fixture
def contexts():
    opened = []
    yield opened
    for context in opened:
        context.close()


def as_user(browser, live_server, username, contexts):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", accept_downloads=True)
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", name="Xin chào", exact=False)).to_be_visible()
    return page


def test_seed_004_conclusion_from_draft_to_accepted_work(
    browser, live_server, setting, tmp_path, settings, contexts
):
    settings.MEDIA_ROOT = tmp_path
    conference = setting

    # The clerk drafts the 4-point conclusion and gives point 2 to the People's Committee.
    clerk = as_user(browser, live_server, "clerk", contexts)
    clerk.goto(f"/hoi-nghi/{conference.pk}/")
    clerk.get_by_role("link", name="Dự thảo thông báo kết luận").click()
    clerk.get_by_label("Các mục kết luận").fill("\n\n".join(SEED_004_ITEMS))
    clerk.locator("#id_signer").select_option(label="Nguyễn Văn Luyện – Chủ tịch UBND phường")
    clerk.get_by_role("button", name="Lưu dự thảo").click()
    expect(clerk.get_by_text("Còn 2 ý kiến cần xử lý chưa được giao việc")).to_be_visible()
    clerk.get_by_label("Thuộc mục kết luận").select_option(index=2)
    clerk.get_by_label("Nội dung công việc").fill("Trả lời bằng văn bản các ý kiến của Nhân dân")
    clerk.get_by_label("Cơ quan chủ trì").select_option(label="Ủy ban nhân dân phường Bồ Đề")
    clerk.get_by_label("Đề nghị nạo vét rãnh thoát nước ngõ 22", exact=False).check()
    clerk.get_by_label("Phản ánh lấn chiếm vỉa hè", exact=False).check()
    clerk.get_by_label("Hạn (ngày cụ thể)").fill("30/12/2026")
    clerk.get_by_role("button", name="Giao việc").click()
    expect(clerk.get_by_text("Đã giao việc.")).to_be_visible()
    expect(clerk.get_by_text("Còn 2 ý kiến cần xử lý")).to_have_count(0)

    # The leader issues it: it gets its number.
    leader = as_user(browser, live_server, "leader", contexts)
    leader.goto(clerk.url)
    leader.get_by_role("button", name="Ban hành thông báo").click()
    leader.get_by_role("dialog").get_by_role("button", name="Ban hành").click()  # irreversible: confirmed
    expect(leader.get_by_text("Đã ban hành thông báo số 01/TB-UBND.")).to_be_visible()
    notice = ConclusionNotice.objects.get()
    assert notice.is_issued and notice.number_label == "01/TB-UBND"

    # No worker runs in this test: the periodic sweep renders what is pending.
    notices_render_pending()
    leader.reload()
    with leader.expect_download() as download:
        leader.get_by_role("link", name="Tải PDF").click()
    pdf_path = tmp_path / "notice.pdf"
    download.value.save_as(pdf_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Số: 01/TB-UBND" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "giải quyết kịp thời" in text and "Nguyễn Văn Luyện" in text

    # The handler reports it done with the answer to the citizens; the clerk accepts it.
    handler = as_user(browser, live_server, "handler", contexts)
    handler.get_by_role("link", name="Việc được giao").first.click()
    handler.get_by_role("link", name="Trả lời bằng văn bản các ý kiến của Nhân dân").click()
    handler.get_by_label("Văn bản trả lời người dân").fill(
        "Kính gửi ông An: phường đã nạo vét rãnh thoát nước ngõ 22."
    )
    handler.get_by_role("button", name="Báo cáo hoàn thành").click()
    expect(handler.get_by_text("chờ nơi giao việc nghiệm thu")).to_be_visible()

    clerk.goto(handler.url)
    clerk.get_by_role("button", name="Nghiệm thu").click()
    clerk.get_by_role("dialog").get_by_role("button", name="Nghiệm thu").click()  # irreversible: confirmed
    expect(clerk.get_by_text("Đã nghiệm thu.")).to_be_visible()
    assignment = Assignment.objects.get()
    assert assignment.status == "accepted"
    conference.refresh_from_db()
    assert conference.status == "closed"
