"""A new office's first day, as the README's "Ngày đầu tiên" tells it: setup_office, the first
admin sets a password through the printed one-time link, sees what is missing, brings the staff
from the area's workbook, prints their links; the clerk sets a password and plans the office's
first conference."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from dialogue.models import Conference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-ngay-dau-2026"
STAFF = [  # agency, name, title, roles, username
    ("Văn phòng HĐND và UBND phường Hoàn Kiếm", "Trần Thị Thu Hà", "Chuyên viên", "Văn phòng", "vanphong"),
    ("Ủy ban nhân dân phường Hoàn Kiếm", "Nguyễn Văn Minh", "Chủ tịch UBND phường", "Lãnh đạo", "chutich"),
    ("Ủy ban MTTQ Việt Nam phường Hoàn Kiếm", "Phạm Thị Lan", "Chủ tịch Ủy ban MTTQ", "Giám sát", "mttq"),
]


def set_password(page, link: str) -> None:
    page.goto(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    page.locator("#id_new_password1").fill(PASSWORD)  # labels: "Mật khẩu mới", "Xác nhận mật khẩu mới"
    page.get_by_label("Xác nhận mật khẩu mới").fill(PASSWORD)
    page.get_by_role("button", name="Lưu mật khẩu").click()
    expect(page.get_by_role("heading", name="Đã đặt mật khẩu")).to_be_visible()


def log_in(page, username: str) -> None:
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")


def test_from_setup_office_to_the_first_planned_conference(page, tmp_path):
    out = io.StringIO()
    call_command(
        "setup_office", province="01", ward="00070", username="quantri", full_name="Đỗ Mạnh Cường",
        no_input=True, stdout=out,
    )  # fmt: skip
    admin_link = re.search(r"http\S+/dat-mat-khau/\S+/", out.getvalue()).group(0)

    set_password(page, admin_link)
    log_in(page, "quantri")
    page.get_by_role("link", name="Việc còn thiếu").click()
    missing = page.locator("[data-missing]")
    expect(missing).to_contain_text("Chưa có ai giữ vai trò Lãnh đạo")
    expect(missing).to_contain_text("Chưa có ai giữ vai trò Giám sát")

    # The area's workbook already lists its standard bodies; the admin adds the people.
    page.get_by_role("link", name="Nhập từ Excel").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp của địa bàn (.xlsx)").click()
    assert download.value.suggested_filename == "can-bo-00070.xlsx"
    download.value.save_as(tmp_path / "tai-ve.xlsx")
    workbook = load_workbook(tmp_path / "tai-ve.xlsx")
    people = workbook["Cán bộ"]
    for agency, name, title, roles, username in STAFF:
        people.append(["00070", agency, name, title, roles, "", "", username])
    filled = tmp_path / "can-bo-hoan-kiem.xlsx"
    workbook.save(filled)

    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(filled)
    page.get_by_label("Gửi đường dẫn đặt mật khẩu qua e-mail cho tài khoản mới").uncheck()
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.get_by_role("status")).to_contain_text("3 tài khoản mới (1 tài khoản đã có")
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator("[data-import-done]")).to_contain_text("tạo 3 tài khoản")
    links = page.locator("[data-password-link]").all_inner_texts()
    assert len(links) == 3
    clerk_link = links[[row[4] for row in STAFF].index("vanphong")]
    page.get_by_role("link", name="Xem việc còn thiếu").click()
    expect(page.locator("[data-ready]")).to_be_visible()
    page.get_by_role("button", name="Đỗ Mạnh Cường").click()  # the user menu
    page.get_by_role("button", name="Đăng xuất").click()

    # The clerk's first day: a password from the printed link, then the first conference.
    set_password(page, clerk_link)
    log_in(page, "vanphong")
    page.get_by_role("link", name="Hội nghị", exact=True).click()
    page.get_by_role("link", name="Lên kế hoạch hội nghị", exact=True).click()
    day = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Tên hội nghị").fill("Hội nghị đối thoại với Nhân dân phường Hoàn Kiếm năm 2026")
    page.get_by_label("Ngày").fill(day.strftime("%d/%m/%Y"))
    page.get_by_label("Giờ").fill("08:00")
    page.get_by_label("Địa điểm").fill("Hội trường UBND phường Hoàn Kiếm")
    page.get_by_label("Chủ trì").fill("Nguyễn Văn Minh – Chủ tịch UBND phường")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lên kế hoạch hội nghị")).to_be_visible()

    conference = Conference.objects.get()
    assert conference.status == Conference.Status.PLANNED
    assert conference.host_area.code == "00070"
