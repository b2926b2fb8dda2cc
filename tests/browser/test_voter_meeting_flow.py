"""A voter meeting (tiếp xúc cử tri) through the whole chain of a dialogue, in a real browser:
the clerk plans it from the list's "Tiếp xúc cử tri" button (a missing field is shown beside
it, nothing saved), marks it held, types two voters' petitions, forwards one to the body the
meeting names, gives the other to an agency in a conclusion; the leader issues it, the handler
answers, the clerk accepts; the statistics and the supervision dashboard count the meeting in
its own rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conclusions.models import Assignment
from dialogue.models import Conference
from petitions.models import Petition
from tests.browser.test_conclusion_flow import PASSWORD, as_user, contexts  # noqa: F401 — a fixture
from tests.factories import UserFactory, ward_with_bodies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORWARDED_TO = "Thường trực HĐND thành phố Hà Nội"
PETITIONS = [
    ("Ông Vũ Văn Khải", "Tổ 7", "giao t", "Sớm khởi công cầu Tứ Liên"),
    ("Bà Đinh Thị Nga", "Tổ 9", "tai", "Xử lý mùi trạm trung chuyển rác"),
]


@pytest.fixture
def ward(city):
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
    return ward


def test_a_voter_meeting_goes_through_the_whole_chain(browser, live_server, ward, contexts):  # noqa: F811
    assert PASSWORD
    clerk = as_user(browser, live_server, "clerk", contexts)

    # Planned from the list's button: the form opens as a voter meeting.
    clerk.get_by_role("link", name="Hội nghị", exact=True).click()
    clerk.get_by_role("link", name="Tiếp xúc cử tri", exact=True).click()
    expect(clerk.get_by_label("Loại hội nghị")).to_have_value("voter_meeting")
    voter_fields = clerk.locator("fieldset[data-voter-meeting]")
    expect(voter_fields).to_be_visible()
    clerk.get_by_label("Loại hội nghị").select_option("dialogue")  # a dialogue has no deputies
    expect(voter_fields).to_be_hidden()
    clerk.get_by_label("Loại hội nghị").select_option("voter_meeting")
    yesterday = timezone.localdate() - timedelta(days=1)
    clerk.get_by_label("Tên hội nghị").fill("Tiếp xúc cử tri trước kỳ họp cuối năm")
    clerk.locator("#id_starts_on").fill(yesterday.strftime("%d/%m/%Y"))
    clerk.get_by_label("Giờ").fill("08:30")
    clerk.get_by_label("Địa điểm").fill("Nhà văn hóa tổ dân phố 7")
    clerk.get_by_label("Chủ trì").fill("Lê Thị Thu Hương – Chủ tịch Ủy ban MTTQ phường")
    clerk.get_by_label("Đại biểu cấp").select_option(label="Đại biểu Quốc hội, HĐND thành phố, tỉnh")
    clerk.get_by_label("Thời điểm tiếp xúc").select_option(label="Trước kỳ họp")
    clerk.get_by_label("Kỳ họp").fill("Kỳ họp thường lệ cuối năm, HĐND thành phố")
    clerk.get_by_label("Cơ quan tiếp nhận kiến nghị").fill(FORWARDED_TO)
    clerk.get_by_role("button", name="Lưu").click()
    expect(clerk.get_by_text("Hãy ghi các đại biểu dự tiếp xúc cử tri.")).to_be_visible()
    assert not Conference.objects.exists()
    clerk.get_by_label("Đại biểu dự tiếp xúc").fill("Nguyễn Thị Thu Hà – Đại biểu HĐND thành phố")
    clerk.get_by_role("button", name="Lưu").click()
    expect(clerk.get_by_text("Đã lên kế hoạch hội nghị")).to_be_visible()
    expect(clerk.locator("[data-meeting-type]")).to_have_text("Tiếp xúc cử tri")
    meeting = Conference.objects.get()
    assert meeting.is_voter_meeting and meeting.forwarded_to == FORWARDED_TO

    # Held, then the voters' petitions typed as at any conference.
    clerk.get_by_role("link", name="Ghi nhận đã tổ chức").click()
    clerk.get_by_label("Số người dự").fill("120")
    clerk.get_by_label("Biên bản hội nghị").fill("Cử tri nêu 2 kiến nghị.")
    clerk.get_by_role("button", name="Lưu biên bản").click()
    clerk.get_by_role("link", name="Nhập ý kiến", exact=True).click()
    keyboard = clerk.keyboard
    for index, (who, where, category, content) in enumerate(PETITIONS):
        expect(clerk.locator(f"#id_rows-{index}-petitioner_name")).to_be_focused()
        keyboard.type(who)
        keyboard.press("Tab")
        keyboard.type(where)
        keyboard.press("Tab")  # channel: keep "Phát biểu tại hội nghị"
        keyboard.press("Tab")
        keyboard.type(category)
        keyboard.press("Tab")  # kind: keep "Kiến nghị"
        keyboard.press("Tab")
        keyboard.type(content)
        keyboard.press("Control+Enter" if index == len(PETITIONS) - 1 else "Enter")
    expect(clerk.get_by_text("Đã lưu 2 ý kiến.")).to_be_visible()
    forwarded, assigned = meeting.petitions.order_by("position")

    # One forwarded to the body the meeting names (offered by default).
    clerk.goto(reverse("petitions:detail", args=[forwarded.pk]))
    clerk.get_by_label("Chuyển cấp có thẩm quyền").check()
    expect(clerk.get_by_label("Chuyển đến cơ quan")).to_have_value(FORWARDED_TO)
    clerk.get_by_role("button", name="Lưu hướng xử lý").click()
    forwarded.refresh_from_db()
    assert forwarded.outcome == Petition.Outcome.TRANSFERRED and forwarded.transferred_to == FORWARDED_TO

    # The other given to the People's Committee in a conclusion the leader issues.
    clerk.goto(reverse("dialogue:detail", args=[meeting.pk]))
    clerk.get_by_role("link", name="Dự thảo thông báo kết luận").click()
    clerk.get_by_label("Các mục kết luận").fill("Giao UBND phường trả lời kiến nghị của cử tri.")
    clerk.locator("#id_signer").select_option(label="Nguyễn Văn Luyện – Chủ tịch UBND phường")
    clerk.get_by_role("button", name="Lưu dự thảo").click()
    expect(clerk.get_by_text("Còn 1 ý kiến cần xử lý chưa được giao việc")).to_be_visible()
    clerk.get_by_label("Thuộc mục kết luận").select_option(index=1)
    clerk.get_by_label("Nội dung công việc").fill("Trả lời cử tri về trạm trung chuyển rác")
    clerk.get_by_label("Cơ quan chủ trì").select_option(label="Ủy ban nhân dân phường Bồ Đề")
    clerk.get_by_label("Xử lý mùi trạm trung chuyển rác", exact=False).check()
    clerk.get_by_label("Hạn (ngày cụ thể)").fill(
        (timezone.localdate() + timedelta(days=30)).strftime("%d/%m/%Y")
    )
    clerk.get_by_role("button", name="Giao việc").click()
    expect(clerk.get_by_text("Đã giao việc.")).to_be_visible()
    leader = as_user(browser, live_server, "leader", contexts)
    leader.goto(clerk.url)
    leader.get_by_role("button", name="Ban hành thông báo").click()
    leader.get_by_role("dialog").get_by_role("button", name="Ban hành").click()  # irreversible: confirmed
    # 02: the People's Committee's register is shared, and the forwarded opinion's transfer
    # slip took 01/PC-UBND (docs/DOCUMENTS.md).
    expect(leader.get_by_text("Đã ban hành thông báo số 02/TB-UBND.")).to_be_visible()

    # The handler answers the voters; the clerk accepts: the petition is resolved.
    handler = as_user(browser, live_server, "handler", contexts)
    handler.get_by_role("link", name="Việc được giao").first.click()
    handler.get_by_role("link", name="Trả lời cử tri về trạm trung chuyển rác").click()
    handler.get_by_label("Văn bản trả lời người dân").fill("Kính gửi bà Nga: trạm đã được di dời.")
    handler.get_by_role("button", name="Báo cáo hoàn thành").click()
    expect(handler.get_by_text("chờ nơi giao việc nghiệm thu")).to_be_visible()
    clerk.goto(handler.url)
    clerk.get_by_role("button", name="Nghiệm thu").click()
    clerk.get_by_role("dialog").get_by_role("button", name="Nghiệm thu").click()  # irreversible: confirmed
    expect(clerk.get_by_text("Đã nghiệm thu.")).to_be_visible()
    assert Assignment.objects.get().status == "accepted"
    assigned.refresh_from_db()
    assert assigned.resolved_on is not None

    # The statistics count it among voter meetings, not among the dialogues.
    year = timezone.localdate().year
    clerk.goto(f"{reverse('dashboards:statistics')}?area={ward.pk}&start=01/01/{year}&end=31/12/{year}")
    cells = clerk.locator('[data-row="voter-national_city"] td')
    expect(cells).to_have_text(["1", "120", "2", "2", "1", "50,0%"])
    expect(clerk.locator('[data-row="total"] td').first).to_have_text("0")

    # The supervision dashboard: one voter meeting, its list holds it.
    clerk.goto(reverse("dashboards:supervision"))
    figure = clerk.locator('[data-figure="voter-meetings"]')
    expect(figure).to_have_text("1")
    figure.click()
    expect(clerk.get_by_role("link", name="Tiếp xúc cử tri trước kỳ họp cuối năm")).to_be_visible()
