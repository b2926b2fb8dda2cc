"""Issue 17 in a real browser: the handler answers, the leader returns it once (both versions
kept and shown), the handler answers again, the leader accepts; the citizen receives the
"answered" SMS (the fake gateway, a real HTTP server on loopback), opens the tracking page,
sees the answer and says "not resolved"; the reopening shows on the leader's and the monitor's
pages; the leader gives the work again. (The "received" SMS of a logged letter:
tests/browser/test_citizen_messages.py.)"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conclusions import services
from conclusions.models import AnswerVersion, Assignment
from petitions.models import Petition, Reopening
from tests.browser.test_citizen_messages import eager_tasks  # noqa: F401 (fixture)
from tests.browser.test_conclusion_flow import as_user, contexts  # noqa: F401 (fixture)
from tests.conclusions.helpers import assign, draft_notice
from tests.factories import UserFactory, conference_for, petition_for, ward_with_bodies
from tests.messaging.conftest import channels, gateway  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def issued(city, monkeypatch):
    monkeypatch.setattr(services, "queue_notice_pdf", lambda notice_id: True)
    from public_pages import views

    monkeypatch.setattr(views, "TRACKING_LIMIT", 1000)  # the shared limit is tested elsewhere
    ward = ward_with_bodies(city, "Bồ Đề")
    committee = ward.bodies["UBND"]
    clerk = UserFactory(username="clerk", full_name="Trần Thị Thu Hà", agency=committee, is_clerk=True)
    leader = UserFactory(username="leader", full_name="Nguyễn Văn Luyện", agency=committee, is_leader=True)
    UserFactory(username="handler", full_name="Lê Quang Huy", agency=committee, is_handler=True)
    UserFactory(username="monitor", full_name="Phạm Thị Giám", agency=ward.bodies["MTTQ"], is_monitor=True)
    conference = conference_for(ward, status="held")
    petition = petition_for(
        conference,
        content="Đề nghị nạo vét rãnh thoát nước ngõ 22",
        petitioner_name="Ông Bí Danh",
        petitioner_phone="0912345678",
        message_consent=True,
    )
    notice = draft_notice(ward, clerk, conference=conference, signer=leader)
    assign(notice, clerk, agency=committee, petitions=[petition])
    services.notice_issue(notice=notice, by=leader)
    return Assignment.objects.get(), Petition.objects.get(pk=petition.pk)


def report(handler, text):
    handler.get_by_label("Văn bản trả lời người dân").fill(text)
    handler.get_by_role("button", name="Báo cáo hoàn thành").click()
    expect(handler.get_by_text("chờ nơi giao việc nghiệm thu")).to_be_visible()


def test_answer_return_answer_accept_verdict_reopen_reassign(
    browser,
    live_server,
    issued,
    contexts,  # noqa: F811
    channels,  # noqa: F811
    gateway,  # noqa: F811
    eager_tasks,  # noqa: F811
):
    channels.CITIZEN_MESSAGE_BACKENDS = {"sms": "http", "zalo": "off", "email": "off"}
    assignment, petition = issued
    url = f"/ket-luan/viec/{assignment.pk}/"

    handler = as_user(browser, live_server, "handler", contexts)
    handler.goto(url)
    report(handler, "Phường sẽ nạo vét rãnh ngõ 22.")

    leader = as_user(browser, live_server, "leader", contexts)
    leader.goto(url)
    leader.get_by_label("Lý do trả lại").fill("Ghi rõ ngày nạo vét và kết quả.")
    leader.get_by_role("button", name="Trả lại").click()
    expect(leader.get_by_text("Đã trả lại để làm tiếp.")).to_be_visible()

    handler.goto(url)
    report(handler, "Ngày 20/11 phường đã nạo vét xong toàn tuyến rãnh ngõ 22.")
    versions = handler.get_by_test_id("answer-version")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text("Phường sẽ nạo vét rãnh ngõ 22.")
    expect(versions.nth(0)).to_contain_text("Ghi rõ ngày nạo vét và kết quả.")
    expect(versions.nth(1)).to_contain_text("đã nạo vét xong")

    leader.goto(url)
    expect(leader.get_by_test_id("answer-version")).to_have_count(2)
    leader.get_by_role("button", name="Nghiệm thu").click()
    leader.get_by_role("dialog").get_by_role("button", name="Nghiệm thu").click()
    expect(leader.get_by_text("Đã nghiệm thu.")).to_be_visible()
    assert list(AnswerVersion.objects.order_by("number").values_list("status", flat=True)) == [
        "returned",
        "accepted",
    ]
    # The citizen is told, once, on the phone given at intake: answered, then closed.
    texts = [sms["text"] for sms in gateway.delivered("/sms") if sms["to"] == "84912345678"]
    answered = [text for text in texts if petition.tracking_code in text and "tra loi" in text.lower()]
    assert len(answered) == 1 and len(answered[0]) <= 160 and answered[0].isascii(), texts

    # The citizen, with the code from the receipt and no account.
    citizen = browser.new_context(base_url=live_server.url, locale="vi-VN")
    contexts.append(citizen)
    public = citizen.new_page()
    public.goto("/cong-khai/tra-cuu/")
    public.get_by_label("Mã tra cứu").fill(petition.tracking_code)
    public.get_by_role("button", name="Tra cứu").click()
    steps = public.get_by_test_id("public-steps")
    expect(steps).to_contain_text("Ngày 20/11 phường đã nạo vét xong toàn tuyến rãnh ngõ 22.")
    expect(steps).not_to_contain_text("Phường sẽ nạo vét rãnh ngõ 22.")  # the returned version is internal
    expect(public.get_by_text("Ông Bí Danh")).to_have_count(0)
    public.get_by_label("Chưa được giải quyết").check()
    public.get_by_label("Ý kiến thêm (không bắt buộc)").fill("Mưa xong ngõ vẫn ngập.")
    public.get_by_role("button", name="Gửi đánh giá").click()
    expect(public.get_by_text("Ý kiến đã được mở lại để lãnh đạo xem xét")).to_be_visible()
    expect(public.get_by_test_id("public-steps")).to_contain_text("Đã mở lại, chờ lãnh đạo xem xét")
    expect(public.get_by_test_id("verdict-form")).to_have_count(0)

    # The reopening on the leader's home and overdue review, and on the monitor's board.
    leader.goto("/")
    expect(leader.get_by_test_id("home-reopened")).to_contain_text(petition.tracking_code)
    leader.goto("/theo-doi/qua-han/")
    expect(leader.get_by_test_id("review-reopened")).to_contain_text(petition.tracking_code)
    monitor = as_user(browser, live_server, "monitor", contexts)
    monitor.goto("/theo-doi/giam-sat/tra-loi/")
    expect(monitor.get_by_test_id("board-reopened")).to_contain_text(petition.tracking_code)

    # The leader gives the work again.
    leader.goto("/")
    leader.get_by_test_id("home-reopened").get_by_role("link", name=petition.tracking_code).click()
    expect(leader.get_by_text("Mưa xong ngõ vẫn ngập.")).to_be_visible()
    leader.get_by_label("Nội dung công việc").fill("Nạo vét lại và khơi thông cống ngõ 22")
    leader.get_by_label("Cơ quan chủ trì").select_option(label="Ủy ban nhân dân phường Bồ Đề")
    leader.get_by_label("Hạn xử lý").fill(f"{timezone.localdate() + timedelta(days=10):%d/%m/%Y}")
    leader.get_by_role("button", name="Giao việc").click()
    expect(leader.get_by_text("Đã giao giải quyết lại.")).to_be_visible()
    new = Assignment.objects.get(task="Nạo vét lại và khơi thông cống ngõ 22")
    assert list(new.petitions.all()) == [petition]
    assert Reopening.objects.get().status == "reassigned"
    public.reload()
    expect(public.get_by_test_id("public-steps")).to_contain_text("Lãnh đạo giao giải quyết lại")
