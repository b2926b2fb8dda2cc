"""A clerk, as a new user would: plans a conference, marks it held, types the 14 opinions of
seed 004 with the keyboard only, and finds one again by an accent-free search."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dialogue.models import Conference
from tests.factories import UserFactory, ward_with_bodies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-9"

# (petitioner, residential group, the category typed without accents, content)
OPINIONS = [
    (
        "Ông Nguyễn Văn Thành",
        "Tổ 5",
        "dat",
        "Đẩy nhanh chi trả hỗ trợ giải phóng mặt bằng đường Nguyễn Văn Cừ",
    ),
    ("Bà Lê Thị Hoa", "Tổ 12", "dat", "Cấp giấy chứng nhận cho các hộ ở ổn định trước năm 1993"),
    ("Ông Trần Đức Hải", "Tổ 3", "dat", "Lấn chiếm đất công cạnh trường mầm non"),
    ("Ông Phạm Văn Dũng", "Tổ 8", "dat", "Tiến độ tái định cư dự án đường Long Biên - Cầu Đuống"),
    ("Bà Ngô Thị Lan", "Tổ 10", "quy", "Công trình sai phép ngõ 22 phố Bồ Đề chưa xử lý"),
    ("Ông Hoàng Minh Tuấn", "Tổ 15", "giao t", "Lắp đèn chiếu sáng ngõ 110 Nguyễn Sơn"),
    ("Bà Đỗ Thị Mai", "Tổ 6", "tai", "Rác tập kết không đúng giờ đầu ngõ 58 Ngọc Lâm"),
    ("Ông Vũ Quang Huy", "Tổ 1", "giao t", "Cải tạo hệ thống thoát nước ngõ 192 Nguyễn Văn Cừ"),
    ("Hội Cựu chiến binh", "", "quy", "Lấn chiếm vỉa hè kinh doanh trên phố Nguyễn Văn Cừ"),
    ("Ông Bùi Văn Nam", "Tổ 9", "an", "Thanh thiếu niên tụ tập đua xe ban đêm"),
    ("Bà Trịnh Thị Thu", "Tổ 14", "an", "Lắp camera an ninh tại các ngõ nhỏ"),
    ("Hội Phụ nữ", "", "van", "Xây dựng sân chơi cho trẻ em tổ 7"),
    ("Ông Lý Văn Khoa", "Tổ 11", "lao", "Chế độ cho người cao tuổi và hộ cận nghèo"),
    ("Bà Phan Thị Hạnh", "Tổ 2", "giao t", "Ngập úng ngõ 192 mỗi khi mưa to"),
]


@pytest.fixture
def clerk(city):
    ward = ward_with_bodies(city, "Bồ Đề")
    return UserFactory(
        username="clerk", full_name="Trần Thị Thu Hà", agency=ward.bodies["UBND"], is_clerk=True
    )


def test_clerk_enters_a_whole_conference_with_the_keyboard(page, clerk):
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("clerk")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")

    # Plan the conference.
    page.get_by_role("link", name="Hội nghị", exact=True).click()
    page.get_by_role("link", name="Lên kế hoạch hội nghị", exact=True).click()
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Tên hội nghị").fill("Hội nghị đối thoại với Nhân dân năm 2026")
    page.get_by_label("Ngày").fill(yesterday.strftime("%d/%m/%Y"))
    page.get_by_label("Giờ").fill("14:00")
    page.get_by_label("Địa điểm").fill("Hội trường UBND phường Bồ Đề")
    page.get_by_label("Chủ trì").fill("Nguyễn Thị Thanh Hằng – Bí thư Đảng ủy phường")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lên kế hoạch hội nghị")).to_be_visible()

    # Mark it held.
    page.get_by_role("link", name="Ghi nhận đã tổ chức").click()
    page.get_by_label("Số người dự").fill("150")
    page.get_by_label("Biên bản hội nghị").fill("Hội nghị nghe 14 ý kiến thuộc 4 nhóm vấn đề.")
    page.get_by_role("button", name="Lưu biên bản").click()
    expect(page.get_by_text("Đã ghi biên bản hội nghị")).to_be_visible()

    # Type the 14 opinions without the mouse.
    page.get_by_role("link", name="Nhập ý kiến", exact=True).click()
    keyboard = page.keyboard
    expect(page.locator("[data-row]")).to_have_count(1)
    for index, (who, where, category, content) in enumerate(OPINIONS):
        name_field = page.locator(f"#id_rows-{index}-petitioner_name")
        expect(name_field).to_be_focused()
        if who.startswith("Hội"):
            name_field.press("Shift+Tab")
            keyboard.type("to")  # petitioner type: Tổ chức
            keyboard.press("Tab")
        keyboard.type(who)
        keyboard.press("Tab")
        keyboard.type(where)
        keyboard.press("Tab")  # channel: keep "Phát biểu tại hội nghị"
        keyboard.press("Tab")
        keyboard.type(category)  # the list answers to the first letters, accents optional
        keyboard.press("Tab")  # kind: keep "Kiến nghị"
        keyboard.press("Tab")
        # The text arrives as a Vietnamese input method commits it (Unikey, the phone's
        # keyboard): one input event for what was composed, not a key event per letter. The
        # keys that move between the cells and save the row are pressed one by one.
        keyboard.insert_text(content)
        keyboard.press("Control+Enter" if index == len(OPINIONS) - 1 else "Enter")

    expect(page.get_by_text("Đã lưu 14 ý kiến.")).to_be_visible()
    conference = Conference.objects.get()
    saved = list(conference.petitions.order_by("position").select_related("category"))
    assert [p.content for p in saved] == [row[3] for row in OPINIONS]
    assert saved[0].category.name.startswith("Đất đai") and saved[9].category.name == "An ninh trật tự"
    assert saved[8].petitioner_type == "organisation" and saved[8].petitioner_name == "Hội Cựu chiến binh"

    # Find one again without typing accents.
    page.get_by_role("link", name="Ý kiến, kiến nghị", exact=True).click()
    search = page.get_by_label("Tìm theo nội dung")
    search.fill("thoat nuoc")
    search.press("Enter")
    expect(page.get_by_role("link", name="Cải tạo hệ thống thoát nước ngõ 192 Nguyễn Văn Cừ")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)
