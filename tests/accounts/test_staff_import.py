"""Agencies and staff of an area from Excel: template/export, upload, preview, all-or-nothing
import, the one-time password link."""

import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts import staff_excel
from accounts.models import OrgUnit, User
from core.workbook import NOT_A_WORKBOOK
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BODY_HEADERS = [header for _name, header, _width in staff_excel.BODY_COLUMNS]
PERSON_HEADERS = [header for _name, header, _width in staff_excel.PERSON_COLUMNS]


def workbook_bytes(bodies: list[list[str]], people: list[list[str]]) -> bytes:
    workbook = Workbook()
    for sheet, headers, rows in (
        (workbook.active, BODY_HEADERS, bodies),
        (workbook.create_sheet(), PERSON_HEADERS, people),
    ):
        sheet.title = staff_excel.SHEET_BODIES if headers is BODY_HEADERS else staff_excel.SHEET_PEOPLE
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, *, send_email=True, name="can-bo.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    payload = {"file": file}
    if send_email:
        payload["send_email"] = "on"
    return client.post(reverse("accounts:staff_import"), payload)


def confirm(client, response, **captured):
    payload = re.search(r'name="payload" value="([^"]+)"', response.content.decode()).group(1)
    return client.post(reverse("accounts:staff_import_confirm"), {"payload": payload})


@pytest.fixture
def admin(make_user):
    return make_user("admin", username="quantri", email="quantri@phuong.vn")


@pytest.fixture
def client_admin(admin):
    return login(admin)


def good_rows(ward):
    area = ward.name
    bodies = [[area, "Phòng Văn hóa - Xã hội phường Bồ Đề", "Cơ quan chuyên môn", "VHXH"]]
    people = [
        [area, "Ủy ban nhân dân phường Bồ Đề", "Nguyễn Văn Minh", "Chủ tịch UBND", "Lãnh đạo", "minh@phuong.vn",
         "0912 345 678", ""],
        [area, "Phòng Văn hóa - Xã hội phường Bồ Đề", "Trần Thị Hà", "Chuyên viên", "Xử lý, Văn phòng", "",
         "", ""],
    ]  # fmt: skip
    return bodies, people


def test_bad_rows_are_each_explained_and_nothing_is_saved(city, ward, other_ward):
    """By a city admin, who sees both wards: each bad row says what is wrong with it."""
    city_body = OrgUnit.objects.create(
        parent=city, name="Ủy ban nhân dân thành phố", kind="peoples_committee"
    )
    client_admin = login(UserFactory(agency=city_body, is_sysadmin=True))
    UserFactory(username="someone", email="taken@phuong.vn", agency=ward.bodies["UBND"])
    bodies, people = good_rows(ward)
    people += [
        ["99999", "Ủy ban nhân dân phường Bồ Đề", "Lê Văn A", "", "Lãnh đạo", "", "", ""],
        [ward.name, "Ủy ban nhân dân phường Cầu Giấy", "Lê Văn B", "", "Xử lý", "", "", ""],
        [ward.name, "Ủy ban nhân dân phường Bồ Đề", "Lê Văn C", "", "Xử lý", "minh@phuong.vn", "", ""],
        [ward.name, "Ủy ban nhân dân phường Bồ Đề", "Lê Văn D", "", "Xử lý", "taken@phuong.vn", "", "levand"],
        [ward.name, "Ủy ban nhân dân phường Bồ Đề", "Lê Văn E", "", "Thủ quỹ", "e@", "abc", ""],
    ]
    users, units = User.objects.count(), OrgUnit.objects.count()
    response = upload(client_admin, workbook_bytes(bodies, people))
    html = response.content.decode()
    assert response.status_code == 200
    assert "5 dòng lỗi" in html and 'name="payload"' not in html
    assert "Không có địa bàn “99999”" in html
    assert (
        "Cơ quan “Ủy ban nhân dân phường Cầu Giấy” thuộc Phường Cầu Giấy, không thuộc Phường Bồ Đề." in html
    )
    assert "E-mail này đã ghi ở dòng 2." in html
    assert "E-mail này đã dùng cho tài khoản khác (someone)." in html
    assert "Không hiểu vai trò “Thủ quỹ”" in html and "E-mail không hợp lệ." in html
    assert "Số điện thoại chỉ gồm chữ số" in html
    assert (User.objects.count(), OrgUnit.objects.count()) == (users, units)


def test_a_ward_admin_is_not_told_which_area_an_agency_outside_it_belongs_to(client_admin, ward, other_ward):
    people = [[ward.name, "Ủy ban nhân dân phường Cầu Giấy", "Lê Văn B", "", "Xử lý", "", "", ""]]
    html = upload(client_admin, workbook_bytes([], people)).content.decode()
    assert "Không có cơ quan “Ủy ban nhân dân phường Cầu Giấy” ở Phường Bồ Đề." in html
    assert not User.objects.filter(full_name="Lê Văn B").exists()


def test_a_file_that_is_not_a_workbook_is_refused_beside_the_field(client_admin):
    response = upload(client_admin, b"%PDF-1.4 not a workbook", name="can-bo.xlsx")
    assert str(NOT_A_WORKBOOK) in response.content.decode()
    response = upload(client_admin, b"PK\x03\x04" + b"\0" * 50, name="can-bo.docx")
    assert "Chỉ nhận tệp Excel có đuôi .xlsx" in response.content.decode()


def test_good_file_creates_bodies_and_accounts_with_a_one_time_link(client_admin, ward):
    bodies, people = good_rows(ward)
    preview = upload(client_admin, workbook_bytes(bodies, people))
    assert (
        "sẽ tạo 1 cơ quan mới (0 cơ quan đã có), 2 tài khoản mới (0 tài khoản đã có"
        in preview.content.decode()
    )
    done = confirm(client_admin, preview)
    html = done.content.decode()
    assert "Đã tạo 1 cơ quan, cập nhật 0; tạo 2 tài khoản, cập nhật 0." in html
    office = OrgUnit.objects.get(name="Phòng Văn hóa - Xã hội phường Bồ Đề")
    assert (office.parent, office.area, office.symbol) == (ward, ward, "VHXH")
    minh = User.objects.get(email="minh@phuong.vn")
    assert (minh.username, minh.is_leader, minh.agency) == ("minh", True, ward.bodies["UBND"])
    assert not minh.has_usable_password()
    ha = User.objects.get(full_name="Trần Thị Hà")
    assert (ha.username, ha.is_handler, ha.is_clerk, ha.agency) == ("tran.thi.ha", True, True, office)

    # Minh has an e-mail: the link went by mail; Hà has none: her link is on the page to print.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["minh@phuong.vn"]
    link = re.search(r"http\S+/dat-mat-khau/\S+/", mail.outbox[0].body).group(0)
    assert "tran.thi.ha" in html and html.count("data-password-link") == 1

    path = link.split("://", 1)[1].split("/", 1)[1]
    client = login(UserFactory())  # any browser; the link itself identifies the account
    client.logout()
    form = client.get("/" + path, follow=True)
    assert "Đặt mật khẩu" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "Dat-mat-khau-2026!", "new_password2": "Dat-mat-khau-2026!"})
    minh.refresh_from_db()
    assert minh.check_password("Dat-mat-khau-2026!")
    # Used once: the same link no longer works.
    again = client.get("/" + path, follow=True)
    assert "Đường dẫn đã được dùng hoặc đã hết hạn" in again.content.decode()

    # Confirming the same preview twice saves nothing more.
    assert (
        "vừa được nhập rồi"
        in client_admin.post(
            reverse("accounts:staff_import_confirm"),
            {"payload": re.search(r'name="payload" value="([^"]+)"', preview.content.decode()).group(1)},
            follow=True,
        ).content.decode()
    )
    assert User.objects.filter(full_name="Trần Thị Hà").count() == 1


def test_existing_people_are_updated_by_username_or_email_never_duplicated(client_admin, ward):
    by_name = UserFactory(username="hung", full_name="Hùng cũ", agency=ward.bodies["UBND"], is_clerk=True)
    by_mail = UserFactory(username="lan.mttq", email="Lan@Phuong.vn", agency=ward.bodies["UBND"])
    people = [
        [ward.name, "Ủy ban MTTQ Việt Nam phường Bồ Đề", "Phạm Văn Hùng", "Cán bộ", "Giám sát", "", "", "HUNG"],
        [ward.name, "Ủy ban MTTQ Việt Nam phường Bồ Đề", "Phạm Thị Lan", "Phó Chủ tịch", "Giám sát",
         "lan@phuong.vn", "", ""],
    ]  # fmt: skip
    users = User.objects.count()
    preview = upload(client_admin, workbook_bytes([], people), send_email=False)
    assert "0 tài khoản mới (2 tài khoản đã có" in preview.content.decode()
    confirm(client_admin, preview)
    assert User.objects.count() == users
    by_name.refresh_from_db()
    by_mail.refresh_from_db()
    assert (by_name.full_name, by_name.is_monitor, by_name.is_clerk) == ("Phạm Văn Hùng", True, False)
    assert by_name.agency == ward.bodies["MTTQ"]
    assert (by_mail.full_name, by_mail.title) == ("Phạm Thị Lan", "Phó Chủ tịch")


def test_export_imports_back_unchanged(client_admin, admin, ward):
    ward.bodies["UBND"].symbol = "UBND"
    response = client_admin.get(reverse("accounts:staff_workbook", args=[ward.pk]))
    data = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames[:2] == [staff_excel.SHEET_BODIES, staff_excel.SHEET_PEOPLE]
    people = list(workbook[staff_excel.SHEET_PEOPLE].iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in people] == [admin.full_name]
    result = staff_excel.parse_staff_workbook(data, by=admin)
    assert result.is_valid, [row.messages for row in result.rows]
    assert all(row.existing is not None for row in result.rows)


def test_a_new_area_gets_the_standard_bodies_in_its_template(city, admin):
    new_ward = OrgUnit.objects.create(
        parent=city, name="Phường Hoàn Kiếm", kind=OrgUnit.Kind.WARD, code="00070"
    )
    admin.is_superuser = True
    data = staff_excel.staff_workbook(new_ward, by=admin)
    rows = list(
        load_workbook(io.BytesIO(data))[staff_excel.SHEET_BODIES].iter_rows(min_row=2, values_only=True)
    )
    assert ("00070", "Ủy ban MTTQ Việt Nam phường Hoàn Kiếm", "Ủy ban MTTQ Việt Nam", "MTTQ") in rows


def test_scope_a_ward_admin_manages_only_the_ward(client_admin, make_user, ward, other_ward):
    assert client_admin.get(reverse("accounts:staff_workbook", args=[other_ward.pk])).status_code == 404
    assert client_admin.get(reverse("accounts:staff_import") + f"?area={other_ward.pk}").status_code == 404
    people = [[other_ward.name, "Ủy ban nhân dân phường Cầu Giấy", "Ngô Văn X", "", "Xử lý", "", "", ""]]
    response = upload(client_admin, workbook_bytes([], people))
    assert "Địa bàn “Phường Cầu Giấy” nằm ngoài phạm vi bạn quản lý." in response.content.decode()
    outsider = UserFactory(username="caugiay1", agency=other_ward.bodies["UBND"])
    people = [[ward.name, "Ủy ban nhân dân phường Bồ Đề", "Ngô Văn Y", "", "Xử lý", "", "", "caugiay1"]]
    response = upload(client_admin, workbook_bytes([], people))
    assert "Tên đăng nhập này đã có ở một đơn vị ngoài phạm vi bạn quản lý." in response.content.decode()
    outsider.refresh_from_db()
    assert outsider.agency == other_ward.bodies["UBND"]
    clerk = login(make_user("clerk"))
    assert clerk.get(reverse("accounts:staff_import")).status_code == 403


def test_readiness_lists_what_is_missing_until_nothing_is(client_admin, make_user, ward):
    html = client_admin.get(reverse("accounts:readiness")).content.decode()
    assert "Chưa có ai giữ vai trò Lãnh đạo" in html and "Chưa có ai giữ vai trò Giám sát" in html
    assert "Chưa có ai giữ vai trò Văn phòng" in html
    assert "Chưa có Ủy ban MTTQ" not in html  # the ward has one
    ward.bodies["MTTQ"].symbol = ""
    ward.bodies["MTTQ"].save()
    assert (
        "“Ủy ban MTTQ Việt Nam phường Bồ Đề” chưa có ký hiệu"
        in client_admin.get(reverse("accounts:readiness")).content.decode()
    )
    ward.bodies["MTTQ"].symbol = "MTTQ"
    ward.bodies["MTTQ"].save()
    make_user("leader")
    make_user("clerk")
    make_user("monitor", agency=ward.bodies["MTTQ"])
    html = client_admin.get(reverse("accounts:readiness")).content.decode()
    assert "data-ready" in html


@pytest.mark.parametrize("people", [2, 20])
def test_readiness_and_preview_query_counts_do_not_grow(
    client_admin, ward, people, django_assert_max_num_queries
):
    for number in range(people):
        UserFactory(agency=ward.bodies["UBND"], is_handler=True, email=f"p{number}@phuong.vn")
    with django_assert_max_num_queries(7):
        client_admin.get(reverse("accounts:readiness"))
    rows = [
        [ward.name, "Ủy ban nhân dân phường Bồ Đề", f"Người {n}", "", "Xử lý", f"p{n}@phuong.vn", "", ""]
        for n in range(people)
    ]
    with django_assert_max_num_queries(10):
        response = upload(client_admin, workbook_bytes([], rows))
    assert f"0 tài khoản mới ({people} tài khoản đã có" in response.content.decode()


@pytest.mark.parametrize("wards", [2, 12])
def test_a_city_admin_sees_the_wards_that_lack_something(city, wards, django_assert_max_num_queries):
    from tests.factories import ward_with_bodies

    city_body = OrgUnit.objects.create(
        parent=city, name="Ủy ban nhân dân thành phố", kind="peoples_committee"
    )
    client = login(UserFactory(agency=city_body, is_sysadmin=True))
    ready = ward_with_bodies(city, "Đủ")
    for role in ("is_leader", "is_clerk"):
        UserFactory(agency=ready.bodies["UBND"], **{role: True})
    UserFactory(agency=ready.bodies["MTTQ"], is_monitor=True)
    for number in range(wards):
        ward_with_bodies(city, f"Thiếu {number}")
    # 9 with the one question whether the user's area is the country's only top (User.sees_everything).
    with django_assert_max_num_queries(9):
        html = client.get(reverse("accounts:readiness")).content.decode()
    assert f"{wards} địa bàn trực thuộc còn thiếu" in html
    assert "Phường Thiếu 0" in html and "Phường Đủ" not in html
