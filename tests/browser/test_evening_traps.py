"""Issue 19 in a real browser, the traps left after the first round: opinions typed in after
the notice (6), the "mark held" form and the assignment page (7), the dashboard's period (9),
duplicates while typing (10), the public pages on a phone (12) and the menu's index pages.
Each test plays the old scenario and checks the new behaviour."""

import pytest
from playwright.sync_api import expect

from conclusions.models import Assignment
from petitions.models import Petition
from tests.browser.test_evening_pages import office, shoot, sign_in  # noqa: F401 — a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_opinions_typed_after_the_notice_are_flagged_and_handled_on_their_own(page, office):  # noqa: F811
    """Trap 6: the old entry page took opinions for a conference whose notice was issued
    without a word, and nothing showed they were outside the notice."""
    issued = office["issued"]
    conference_pk = issued.conference_id
    sign_in(page, "clerk")
    page.goto(f"/y-kien/hoi-nghi/{conference_pk}/nhap/")
    warning = page.locator("[data-after-notice-warning]")
    expect(warning).to_contain_text(f"đã có thông báo kết luận số {issued.number_label}")
    expect(warning).to_contain_text("giao việc không kèm thông báo")
    page.locator("#id_rows-0-petitioner_name").fill("Bà Đỗ Thị Lan")
    page.locator("#id_rows-0-category").select_option(index=1)
    page.locator("#id_rows-0-content").fill("Sửa mặt đường ngõ 45 Bồ Đề bị lún sau mưa")
    page.get_by_role("button", name="Lưu tất cả").click()
    expect(page.get_by_text("Đã lưu 1 ý kiến.")).to_be_visible()
    expect(page.locator(".messages .alert-warning")).to_contain_text("cần được xử lý riêng")
    late = Petition.objects.get(conference=conference_pk, after_notice=True)
    # The earlier opinions, typed before the notice, are not flagged.
    assert Petition.objects.filter(conference=conference_pk, after_notice=False).count() == 2

    # The conference page shows it as such, with a count that opens the list of them.
    panel = page.locator("[data-after-notice]")
    expect(panel).to_contain_text("1 ý kiến nhập sau khi đã ban hành thông báo kết luận")
    expect(page.get_by_text("Nhập sau thông báo · cần xử lý riêng")).to_be_visible()
    panel.get_by_role("link").click()
    expect(page.get_by_role("link", name="Sửa mặt đường ngõ 45", exact=False)).to_be_visible()

    # The notice's page lists it, with the way to give it on its own.
    page.goto(f"/ket-luan/thong-bao/{issued.pk}/")
    section = page.locator("section[data-after-notice]")
    expect(section).to_contain_text("Sửa mặt đường ngõ 45 Bồ Đề")
    section.get_by_role("link", name="Giao việc không kèm thông báo").click()
    expect(page.get_by_role("heading", name="Giao việc giải quyết đơn", exact=False)).to_be_visible()
    page.get_by_label("Nội dung công việc").fill("Khảo sát, sửa mặt đường ngõ 45")
    page.get_by_label("Cơ quan chủ trì").select_option(label=office["ward"].bodies["UBND"].name)
    page.get_by_label("Hạn xử lý").fill("30/12/2026")
    page.get_by_role("button", name="Giao việc").click()
    expect(page.get_by_text("Đã giao việc giải quyết đơn.")).to_be_visible()
    assert Assignment.objects.filter(petitions=late, notice__isnull=True).count() == 1


def test_mark_held_corrects_the_actual_date_and_time(page, office):  # noqa: F811
    """Trap 7: the "mark held" form kept the planned time; a conference moved forward a day
    could not say so (and one held early could not be marked held at all)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from dialogue.models import Conference
    from tests.factories import conference_for

    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    planned = timezone.localtime(timezone.now() + timedelta(days=1), hanoi).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    conference = conference_for(office["ward"], title="Hội nghị đối thoại tháng 12", starts_at=planned)
    actually = planned - timedelta(days=2)
    sign_in(page, "clerk")
    page.goto(f"/hoi-nghi/{conference.pk}/to-chuc/")
    date_box, time_box = page.get_by_label("Ngày tổ chức thực tế"), page.get_by_label("Giờ bắt đầu thực tế")
    expect(date_box).to_have_value(f"{planned:%d/%m/%Y}")
    expect(time_box).to_have_value("14:00")
    page.get_by_label("Số người dự").fill("85")
    page.get_by_label("Biên bản hội nghị").fill("Hội nghị họp sớm hai ngày theo đề nghị của Mặt trận.")
    # Still the planned (future) time: refused beside the date, nothing saved.
    page.get_by_role("button", name="Lưu biên bản").click()
    expect(
        page.locator(".invalid-feedback, .text-danger").filter(has_text="chưa diễn ra").first
    ).to_be_visible()
    assert Conference.objects.get(pk=conference.pk).status == Conference.Status.PLANNED

    page.get_by_label("Ngày tổ chức thực tế").fill(f"{actually:%d/%m/%Y}")
    page.get_by_label("Giờ bắt đầu thực tế").fill("08:30")
    page.get_by_role("button", name="Lưu biên bản").click()
    expect(page.get_by_text("Đã ghi biên bản hội nghị.", exact=False)).to_be_visible()
    conference.refresh_from_db()
    assert conference.status == Conference.Status.HELD
    assert conference.starts_at == datetime.combine(actually.date(), datetime.min.time(), hanoi).replace(
        hour=8, minute=30
    )
    assert conference.held_on == actually.date()
    history = page.locator("section", has=page.get_by_role("heading", name="Lịch sử thay đổi"))
    expect(history).to_contain_text("Trần Thị Thu Hà")  # who corrected it, kept in history
    expect(history).to_contain_text("thời gian")


def test_assignment_page_lines_up_status_and_deadline_and_names_evidence_files(page, office):  # noqa: F811
    """Trap 7: the status badge and the deadline floated out of line beside the remarks button,
    and every evidence link read "Tệp kết quả" whatever the file."""
    task = office["issued"].assignments.first()
    sign_in(page, "handler")
    page.goto(f"/ket-luan/viec/{task.pk}/")
    page.get_by_label("Tiến độ, kết quả").fill("Đã khảo sát hiện trường, lập biên bản.")
    page.get_by_label("Tệp kết quả (nếu có)").set_input_files(
        files=[
            {
                "name": "bien-ban-khao-sat-ngo-45.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n%%EOF\n",
            }
        ]
    )
    page.get_by_role("button", name="Ghi tiến độ").click()
    expect(page.get_by_role("link", name="Tệp kết quả: bien-ban-khao-sat-ngo-45.pdf")).to_be_visible()

    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        badge = page.locator("[data-status-badge]").bounding_box()
        deadline = page.locator("[data-deadline]").bounding_box()
        # On one line, centred on each other (the old badge sat above, the deadline below it).
        assert abs((badge["y"] + badge["height"] / 2) - (deadline["y"] + deadline["height"] / 2)) < 4
        assert deadline["x"] >= badge["x"] + badge["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, "handler", f"/ket-luan/viec/{task.pk}/")


def test_public_area_page_on_a_phone_shows_cards_and_the_merged_wards_records(page, ward):
    """Trap 12: at 390 px the opinions table squeezed to one word per line, and a ward formed
    by the 2025 merger showed nothing of the wards it took over."""
    from accounts.models import OrgUnit
    from tests.conclusions.helpers import leader_of
    from tests.factories import ward_with_bodies
    from tests.petitions.written_helpers import clerk_of
    from tests.public.test_public import _issued_conference

    _issued_conference(ward, leader_of(ward), clerk_of(ward), opinions=3)
    old = ward_with_bodies(ward.parent, "Ngọc Thụy")
    OrgUnit.objects.filter(pk=old.pk).update(successor=ward)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/cong-khai/dia-ban/{ward.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    rows = page.locator("[data-testid=public-opinions] tbody tr")
    assert rows.count() == 3
    card = rows.first.bounding_box()
    content = rows.first.locator("td[data-label='Nội dung']").bounding_box()
    assert card["width"] > 300 and content["width"] > 250  # a card, its text across the width
    assert (
        page.locator("[data-testid=public-opinions] thead").bounding_box()["height"] <= 1
    )  # headers only for screen readers
    assert "Cơ quan giải quyết" in rows.first.locator("td").nth(2).evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    shoot(page, "", f"/cong-khai/dia-ban/{ward.pk}/")

    page.set_viewport_size({"width": 1366, "height": 768})
    assert (
        page.locator("[data-testid=public-opinions] thead").bounding_box()["height"] > 20
    )  # a table again on a wide screen
    records = page.locator("[data-predecessors]")
    expect(records).to_contain_text("Hồ sơ của các đơn vị trước sắp xếp")
    records.get_by_role("link", name="Phường Ngọc Thụy").click()
    expect(page.get_by_role("heading", name="Phường Ngọc Thụy", exact=False)).to_be_visible()
    page.locator("[data-successor]").get_by_role("link", name="Phường Bồ Đề").click()
    expect(page).to_have_url(f"{page.url.split('/cong-khai/')[0]}/cong-khai/dia-ban/{ward.pk}/")


def test_dashboard_offers_both_views_of_a_period_defaulting_to_work_arising(page, office):  # noqa: F811
    """Trap 9: the board counted only work due in the period, with no word about it."""
    sign_in(page, "monitor")
    page.goto("/theo-doi/giam-sat/")
    views = page.locator("[data-work-basis]")
    expect(views).to_contain_text("Việc được giao trong kỳ")
    arising = page.get_by_role("radio", name="Việc từ hội nghị tổ chức trong kỳ")
    due = page.get_by_role("radio", name="Việc đến hạn trong kỳ")
    expect(arising).to_be_checked()
    expect(page.get_by_role("heading", name="Việc từ hội nghị tổ chức trong kỳ, chưa xong")).to_be_visible()
    figure = page.locator("[data-figure='assignments-open']")
    count = int(figure.inner_text())
    figure.click()
    expect(page.locator("[data-arising]")).to_contain_text("Việc phát sinh từ")
    assert page.locator("table tbody tr").count() == count or count == 0

    page.go_back()
    due.check()  # by keyboard too: the radios are one labelled group
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("radio", name="Việc đến hạn trong kỳ")).to_be_checked()
    expect(page.get_by_role("heading", name="Việc được giao có hạn trong kỳ, chưa xong")).to_be_visible()
    page.locator("[data-figure='assignments-open']").click()
    expect(page.locator("[data-arising]")).to_have_count(0)
    assert "deadline_from=" in page.url


def test_duplicates_are_flagged_while_typing(page, office):  # noqa: F811
    """Trap 10: the old pages checked only on save, and only by ID number or phone."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import conference_for, petition_for
    from tests.petitions.written_helpers import letter

    ward, clerk = office["ward"], office["clerk"]
    held = timezone.localtime() - timedelta(days=14)
    earlier = conference_for(ward, status="held", starts_at=held.replace(hour=14, minute=0))
    petition_for(earlier, content="Đề nghị sửa chữa hệ thống đèn chiếu sáng ngõ 110 Nguyễn Sơn bị hỏng")
    tonight = conference_for(
        ward, status="held", starts_at=held.replace(hour=19, minute=0) + timedelta(days=13)
    )
    sign_in(page, "clerk")

    page.goto(f"/y-kien/hoi-nghi/{tonight.pk}/nhap/")
    page.locator("#id_rows-0-content").press_sequentially(
        "sua chua den chieu sang ngo 110 nguyen son", delay=10
    )
    found = page.locator("[data-row]").first.locator("[data-duplicate-check]")
    expect(found).to_contain_text("Nội dung tương tự đã nhận tại địa bàn")  # before any save
    expect(found).to_contain_text("đèn chiếu sáng ngõ 110 Nguyễn Sơn")
    # A row added by Enter is checked too.
    page.locator("#id_rows-0-content").press("Enter")
    page.locator("#id_rows-1-content").press_sequentially("Lắp camera an ninh tại ngã ba chợ", delay=5)
    page.wait_for_timeout(1500)  # past the debounce: nothing like it, nothing shown
    expect(page.locator("[data-row]").nth(1).locator("[data-duplicates]")).to_be_empty()
    page.locator("#id_rows-1-content").fill("")
    page.locator("#id_rows-1-content").press_sequentially("Đèn chiếu sáng ngõ 110 Nguyễn Sơn hỏng", delay=5)
    expect(page.locator("[data-row]").nth(1).locator("[data-duplicate-check]")).to_be_visible()

    letter(ward, clerk, received_on=timezone.localdate() - timedelta(days=20))
    page.goto("/y-kien/don/moi/")
    page.get_by_label("Điện thoại").press_sequentially("0912345678", delay=10)
    expect(page.locator("#duplicate-check")).to_contain_text("Cùng người gửi")
    expect(page.locator("#duplicate-check")).to_contain_text("Bà Lê Thị Hoa")


@pytest.mark.parametrize(
    "entry, heading, path",
    [("Theo dõi", "Theo dõi", "/theo-doi/"), ("Báo cáo", "Báo cáo", "/theo-doi/bao-cao/")],
)
def test_the_menu_opens_the_section_indexes(page, office, entry, heading, path):  # noqa: F811
    """The menu's "Theo dõi" and "Báo cáo" opened one page of each section (the overdue review,
    the statistics); they now open the sections' index pages, which list the rest."""
    sign_in(page, "clerk")
    page.locator(".app-header").get_by_role("link", name=entry, exact=True).click()
    expect(page).to_have_url(f"{page.url.split('/theo-doi/')[0]}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    link = page.locator(".app-header").get_by_role("link", name=entry, exact=True)
    expect(link).to_have_attribute("aria-current", "page")
