"""The agencies and staff of an area as an Excel workbook: a template to fill in (prefilled with
what the area already has, or with the standard bodies of a ward after the 2025 reform), a
reader that checks every row before anything is saved, and the same file exported from the
data so that it can be corrected and imported again.

Two sheets: "Cơ quan" (the bodies, with the symbols used to number their documents) and
"Cán bộ" (the people: name, title, agency, roles, e-mail, phone, username). An area is given
by its official code (manage.py load_areas) or, for units without one, its full name. People
are matched to existing accounts by username, else by e-mail: a file never makes a duplicate.
Everything is checked against the importing admin's scope (accounts.scoping).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.bodies import standard_bodies
from accounts.models import OrgUnit, Role, User
from core.text import fold
from core.workbook import (
    UNREADABLE,
    WorkbookError,
    check_header,
    header_cells,
    open_workbook,
    put,
    read_all,
    sheet_rows,
    to_bytes,
    write_header,
)

logger = logging.getLogger(__name__)

MAX_ROWS = 2000
SHEET_BODIES = "Cơ quan"
SHEET_PEOPLE = "Cán bộ"
SHEET_LISTS = "Danh mục"
SHEET_HELP = "Hướng dẫn"
ROLE_SEPARATORS = re.compile(r"[,;\n]+")
PHONE_CHARACTERS = re.compile(r"^[0-9+().\-\s]{6,32}$")

BODY_COLUMNS = (
    ("area", "Địa bàn (mã hoặc tên)", 22),
    ("name", "Tên cơ quan, đơn vị", 46),
    ("kind", "Loại", 28),
    ("symbol", "Ký hiệu (đánh số văn bản)", 16),
)
PERSON_COLUMNS = (
    ("area", "Địa bàn (mã hoặc tên)", 22),
    ("agency", "Cơ quan", 40),
    ("full_name", "Họ và tên", 26),
    ("title", "Chức vụ", 30),
    ("roles", "Vai trò", 26),
    ("email", "E-mail", 28),
    ("phone", "Điện thoại", 16),
    ("username", "Tên đăng nhập", 18),
)
BODY_FIELDS = tuple(column[0] for column in BODY_COLUMNS)
PERSON_FIELDS = tuple(column[0] for column in PERSON_COLUMNS)

NO_SHEETS = _("Tệp phải có hai sheet “Cơ quan” và “Cán bộ” như tệp mẫu.")
NO_ROWS = _("Tệp không có dòng cơ quan hay cán bộ nào (dòng 1 là tiêu đề, dữ liệu ghi từ dòng 2).")
TOO_MANY_ROWS = _("Tệp có hơn %(limit)d dòng. Hãy chia thành nhiều tệp.")
REQUIRED = _("Bắt buộc.")
TOO_LONG = _("Dài quá %(limit)d ký tự.")
UNKNOWN_AREA = _("Không có địa bàn “%(value)s”. Ghi mã đơn vị hành chính (ví dụ 00070) hoặc tên đầy đủ.")
AMBIGUOUS_AREA = _("Có nhiều địa bàn tên “%(value)s”: hãy ghi mã đơn vị hành chính.")
AREA_OUT_OF_SCOPE = _("Địa bàn “%(value)s” nằm ngoài phạm vi bạn quản lý.")
UNKNOWN_KIND = _("Không hiểu loại “%(value)s”. Hãy chọn một trong: %(choices)s.")
DUPLICATE_BODY = _("Cơ quan này đã ghi ở dòng %(row)d.")
UNKNOWN_AGENCY = _(
    "Không có cơ quan “%(agency)s” ở %(area)s. Hãy ghi ở sheet “Cơ quan” hoặc chọn cơ quan đã có của địa bàn."
)
AGENCY_OF_OTHER_AREA = _("Cơ quan “%(agency)s” thuộc %(other)s, không thuộc %(area)s.")
UNKNOWN_ROLE = _(
    "Không hiểu vai trò “%(value)s”. Hãy ghi một hoặc nhiều trong: %(choices)s (cách nhau dấu phẩy)."
)
NO_ROLE = _("Hãy ghi ít nhất một vai trò.")
BAD_EMAIL = _("E-mail không hợp lệ.")
DUPLICATE_EMAIL_IN_FILE = _("E-mail này đã ghi ở dòng %(row)d.")
EMAIL_OF_ANOTHER_ACCOUNT = _("E-mail này đã dùng cho tài khoản khác (%(username)s).")
EMAIL_OUT_OF_SCOPE = _("E-mail này đã dùng cho một tài khoản ngoài phạm vi bạn quản lý.")
BAD_PHONE = _("Số điện thoại chỉ gồm chữ số, dấu +, dấu cách, dấu chấm hoặc gạch ngang (6–32 ký tự).")
BAD_USERNAME = _("Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số và các ký tự @ . + - _.")
DUPLICATE_USERNAME_IN_FILE = _("Tên đăng nhập này đã ghi ở dòng %(row)d.")
USERNAME_OUT_OF_SCOPE = _("Tên đăng nhập này đã có ở một đơn vị ngoài phạm vi bạn quản lý.")
SUPERUSER_ROW = _("Tài khoản này là quản trị tối cao: không sửa được bằng tệp nhập.")

# Short words people write in the roles column, besides the labels and codes.
ROLE_WORDS = {
    "van phong": Role.CLERK,
    "can bo van phong": Role.CLERK,
    "lanh dao": Role.LEADER,
    "xu ly": Role.HANDLER,
    "can bo xu ly": Role.HANDLER,
    "giam sat": Role.MONITOR,
    "mttq": Role.MONITOR,
    "quan tri": Role.ADMIN,
}
ROLE_SHORT = {
    Role.CLERK: "Văn phòng",
    Role.LEADER: "Lãnh đạo",
    Role.HANDLER: "Xử lý",
    Role.MONITOR: "Giám sát",
    Role.ADMIN: "Quản trị",
}


def body_kind_labels() -> dict[str, str]:
    with translation.override("vi"):
        return {kind: str(label) for kind, label in OrgUnit.Kind.choices if kind not in OrgUnit.AREA_KINDS}


# --- Rows and results --------------------------------------------------------------------


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    # Filled by the checks for the import: what the row becomes.
    area: OrgUnit | None = None
    kind: str = ""
    existing: OrgUnit | User | None = None
    roles: tuple[Role, ...] = ()

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def error(self, name: str, message) -> None:
        self.errors.setdefault(name, []).append(str(message))

    @property
    def columns(self) -> tuple:
        return BODY_COLUMNS if self.sheet == SHEET_BODIES else PERSON_COLUMNS

    @property
    def cells(self) -> list[str]:
        return [self.values.get(name, "") for name, _header, _width in self.columns]

    @property
    def messages(self) -> list[tuple[str, str]]:
        headers = {name: header for name, header, _width in self.columns}
        return [
            (headers.get(name, ""), message) for name, messages in self.errors.items() for message in messages
        ]


@dataclass
class StaffImport:
    bodies: list[Row] = field(default_factory=list)
    people: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole file

    @property
    def rows(self) -> list[Row]:
        return self.bodies + self.people

    @property
    def error_count(self) -> int:
        return sum(not row.is_valid for row in self.rows)

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows) and self.error_count == 0

    def payload(self) -> dict[str, list]:
        return {
            "bodies": [[row.number, row.cells] for row in self.bodies],
            "people": [[row.number, row.cells] for row in self.people],
        }


# --- Reading -----------------------------------------------------------------------------


def parse_staff_workbook(file: bytes | BinaryIO, *, by: User) -> StaffImport:
    """Read and check both sheets. Never raises on bad input: problems end up in `errors`."""
    try:
        bodies, people = _read_sheets(read_all(file))
    except WorkbookError as problem:
        return StaffImport(errors=[problem.message])
    except Exception:  # any input must give an answer, never a 500
        logger.info("Unreadable staff workbook", exc_info=True)
        return StaffImport(errors=[str(UNREADABLE)])
    return validate_staff_rows(bodies, people, by=by)


def _read_sheets(data: bytes) -> tuple[list, list]:
    workbook = open_workbook(data)
    try:
        names = {fold(name): name for name in workbook.sheetnames}
        if fold(SHEET_BODIES) not in names or fold(SHEET_PEOPLE) not in names:
            raise WorkbookError(str(NO_SHEETS))
        found = []
        for sheet_name, columns in ((SHEET_BODIES, BODY_COLUMNS), (SHEET_PEOPLE, PERSON_COLUMNS)):
            sheet = workbook[names[fold(sheet_name)]]
            header = header_cells(sheet, len(columns))
            if header is None:
                found.append([])
                continue
            check_header(header, [column[1] for column in columns])
            found.append(list(sheet_rows(sheet, len(columns))))
    finally:
        workbook.close()
    if not any(found):
        raise WorkbookError(str(NO_ROWS))
    if sum(map(len, found)) > MAX_ROWS:
        raise WorkbookError(str(TOO_MANY_ROWS % {"limit": MAX_ROWS}))
    return found[0], found[1]


def validate_staff_rows(
    bodies: Iterable[tuple[int, list[str]]], people: Iterable[tuple[int, list[str]]], *, by: User
) -> StaffImport:
    """Check every row against the database and the rest of the file; used on upload and
    again when the preview is confirmed (the data may have changed in between)."""
    result = StaffImport(
        bodies=[
            Row(SHEET_BODIES, number, dict(zip(BODY_FIELDS, cells, strict=True))) for number, cells in bodies
        ],
        people=[
            Row(SHEET_PEOPLE, number, dict(zip(PERSON_FIELDS, cells, strict=True)))
            for number, cells in people
        ],
    )
    areas = _AreaLookup([row.values["area"] for row in result.rows], by=by)
    for row in result.rows:
        row.area = areas.resolve(row)
    _check_bodies(result.bodies)
    _check_people(result, by=by)
    return result


class _AreaLookup:
    """Areas by official code or folded full name, read in two queries for the whole file."""

    def __init__(self, texts: list[str], *, by: User) -> None:
        wanted = {text.strip() for text in texts if text.strip()}
        folded = {fold(text) for text in wanted}
        current = OrgUnit.objects.areas().filter(valid_to__isnull=True)
        condition = Q(code__in=wanted)
        for text in wanted:  # a file names a handful of areas; search_text ends with symbol and code
            condition |= Q(search_text__startswith=fold(text))
        candidates = [
            area for area in current.filter(condition) if area.code in wanted or fold(area.name) in folded
        ]
        self.by_code: dict[str, OrgUnit] = {}
        self.by_name: dict[str, list[OrgUnit]] = {}
        for area in candidates:
            if area.code:
                self.by_code[area.code] = area
            self.by_name.setdefault(fold(area.name), []).append(area)
        ids = [area.pk for area in candidates]
        self.visible = set(OrgUnit.objects.visible_to(by).filter(pk__in=ids).values_list("pk", flat=True))

    def resolve(self, row: Row) -> OrgUnit | None:
        text = row.values["area"].strip()
        if not text:
            row.error("area", REQUIRED)
            return None
        area = self.by_code.get(text)
        if area is None:
            named = self.by_name.get(fold(text), [])
            if len(named) > 1:
                row.error("area", AMBIGUOUS_AREA % {"value": text})
                return None
            area = named[0] if named else None
        if area is None:
            row.error("area", UNKNOWN_AREA % {"value": text})
            return None
        if area.pk not in self.visible:
            row.error("area", AREA_OUT_OF_SCOPE % {"value": text})
            return None
        row.values["area"] = area.code or area.name
        return area


def _check_length(row: Row, name: str, limit: int, *, required: bool = False) -> None:
    value = row.values[name]
    if required and not value:
        row.error(name, REQUIRED)
    elif len(value) > limit:
        row.error(name, TOO_LONG % {"limit": limit})


def _check_bodies(rows: list[Row]) -> None:
    labels = body_kind_labels()
    by_label = {fold(label): kind for kind, label in labels.items()} | {fold(kind): kind for kind in labels}
    areas = {row.area.pk for row in rows if row.area}
    existing = {
        (unit.area_id, fold(unit.name)): unit
        for unit in OrgUnit.objects.bodies().filter(area_id__in=areas, valid_to__isnull=True)
    }
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        _check_length(row, "name", 255, required=True)
        _check_length(row, "symbol", 32)
        kind = by_label.get(fold(row.values["kind"]))
        if kind is None:
            row.error(
                "kind", UNKNOWN_KIND % {"value": row.values["kind"], "choices": ", ".join(labels.values())}
            )
        else:
            row.kind, row.values["kind"] = kind, labels[kind]
        if row.area is None or not row.values["name"]:
            continue
        key = (row.area.pk, fold(row.values["name"]))
        if key in seen:
            row.error("name", DUPLICATE_BODY % {"row": seen[key]})
        seen.setdefault(key, row.number)
        row.existing = existing.get(key)


def _check_people(result: StaffImport, *, by: User) -> None:
    rows = result.people
    areas = {row.area.pk for row in rows if row.area}
    agencies: dict[tuple[int, str], OrgUnit | Row] = {
        (unit.area_id, fold(unit.name)): unit
        for unit in OrgUnit.objects.bodies()
        .filter(area_id__in=areas, valid_to__isnull=True)
        .select_related("area")
    }
    for body in result.bodies:  # bodies of this same file count, even before they exist
        if body.area is not None and body.values["name"]:
            agencies.setdefault((body.area.pk, fold(body.values["name"])), body)
    named_elsewhere = _agencies_by_name([row.values["agency"] for row in rows], by=by)
    accounts = _Accounts(rows, by=by)
    first_email: dict[str, int] = {}
    first_username: dict[str, int] = {}
    for row in rows:
        _check_length(row, "full_name", 150, required=True)
        _check_length(row, "title", 150)
        _check_roles(row)
        _check_agency(row, agencies, named_elsewhere)
        email = row.values["email"].lower()
        row.values["email"] = email
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.error("email", BAD_EMAIL)
            if email in first_email:
                row.error("email", DUPLICATE_EMAIL_IN_FILE % {"row": first_email[email]})
            first_email.setdefault(email, row.number)
        phone = row.values["phone"]
        if phone and not PHONE_CHARACTERS.match(phone):
            row.error("phone", BAD_PHONE)
        username = row.values["username"]
        if username:
            try:
                User.username_validator(username)
            except ValidationError:
                row.error("username", BAD_USERNAME)
            _check_length(row, "username", 150)
            if username.lower() in first_username:
                row.error("username", DUPLICATE_USERNAME_IN_FILE % {"row": first_username[username.lower()]})
            first_username.setdefault(username.lower(), row.number)
        accounts.match(row)


def _agencies_by_name(names: list[str], *, by: User) -> dict[str, OrgUnit]:
    """Bodies of the admin's scope by folded name, to say which area an agency belongs to when
    a row names it under another area."""
    folded = {fold(name) for name in names if name}
    if not folded:
        return {}
    condition = Q()
    for name in folded:  # search_text ends with the symbol: match its start, then the name exactly
        condition |= Q(search_text__startswith=name)
    found = (
        OrgUnit.objects.visible_to(by)
        .bodies()
        .filter(condition, valid_to__isnull=True)
        .select_related("area")
    )
    return {fold(unit.name): unit for unit in found if fold(unit.name) in folded}


def _check_agency(row: Row, agencies: dict, named_elsewhere: dict[str, OrgUnit]) -> None:
    name = row.values["agency"]
    if not name:
        row.error("agency", REQUIRED)
        return
    if row.area is None:
        return
    agency = agencies.get((row.area.pk, fold(name)))
    if agency is None:
        other = named_elsewhere.get(fold(name))
        if other is not None and other.area_id != row.area.pk:
            row.error(
                "agency",
                AGENCY_OF_OTHER_AREA % {"agency": name, "other": other.area.name, "area": row.area.name},
            )
        else:
            row.error("agency", UNKNOWN_AGENCY % {"agency": name, "area": row.area.name})


def _check_roles(row: Row) -> None:
    lookup = dict(ROLE_WORDS)
    with translation.override("vi"):
        for role in Role:
            lookup[fold(str(role.label))] = role
            lookup[fold(role.value)] = role
    roles: list[Role] = []
    for word in ROLE_SEPARATORS.split(row.values["roles"]):
        if not word.strip():
            continue
        role = lookup.get(fold(word))
        if role is None:
            row.error(
                "roles", UNKNOWN_ROLE % {"value": word.strip(), "choices": ", ".join(ROLE_SHORT.values())}
            )
        elif role not in roles:
            roles.append(role)
    if not roles and "roles" not in row.errors:
        row.error("roles", NO_ROLE)
    row.roles = tuple(roles)
    row.values["roles"] = (
        ", ".join(ROLE_SHORT[role] for role in roles) if "roles" not in row.errors else row.values["roles"]
    )


class _Accounts:
    """The existing accounts a file's rows name, by username or e-mail (case-insensitive),
    in one query."""

    def __init__(self, rows: list[Row], *, by: User) -> None:
        usernames = {row.values["username"].lower() for row in rows if row.values["username"]}
        emails = {row.values["email"].strip().lower() for row in rows if row.values["email"]}
        found = list(
            User.objects.annotate(username_lower=Lower("username"), email_lower=Lower("email")).filter(
                Q(username_lower__in=usernames) | Q(email_lower__in=emails)
            )
        )
        self.by_username = {user.username.lower(): user for user in found}
        self.by_email: dict[str, list[User]] = {}
        for user in found:
            if user.email:
                self.by_email.setdefault(user.email.lower(), []).append(user)
        visible = User.objects.visible_to(by).filter(pk__in=[user.pk for user in found])
        self.visible = set(visible.values_list("pk", flat=True))

    def match(self, row: Row) -> None:
        username, email = row.values["username"].lower(), row.values["email"]
        user = self.by_username.get(username) if username else None
        if user is None and email and not username:
            owners = self.by_email.get(email, [])
            user = owners[0] if len(owners) == 1 else None
        if user is not None and user.pk not in self.visible:
            row.error(
                "username" if username else "email", USERNAME_OUT_OF_SCOPE if username else EMAIL_OUT_OF_SCOPE
            )
            return
        if user is not None and user.is_superuser:
            row.error("username", SUPERUSER_ROW)
            return
        if email:
            others = [owner for owner in self.by_email.get(email, []) if owner != user]
            if others:
                row.error("email", EMAIL_OF_ANOTHER_ACCOUNT % {"username": others[0].username})
        row.existing = user


# --- Writing -----------------------------------------------------------------------------


def staff_workbook(area: OrgUnit, *, by: User) -> bytes:
    """The area's bodies and active staff in the import columns; an area without bodies gets
    the standard bodies of a ward to fill in. The same file imports back unchanged."""
    bodies = list(
        OrgUnit.objects.visible_to(by).bodies().filter(area=area, valid_to__isnull=True).order_by("path")
    )
    people = (
        User.objects.visible_to(by)
        .filter(agency__area=area, is_active=True, is_superuser=False)
        .order_by("agency__path", "full_name")
    )
    area_text = area.code or area.name
    labels = body_kind_labels()
    body_rows = [[area_text, body.name, labels.get(body.kind, ""), body.symbol] for body in bodies]
    if not body_rows:
        body_rows = [[area_text, name, labels[kind], symbol] for kind, name, symbol in standard_bodies(area)]
    person_rows = [
        [area_text, user.agency.name, user.full_name, user.title, ", ".join(ROLE_SHORT[role] for role in user.roles),
         user.email, user.phone, user.username]
        for user in people
    ]  # fmt: skip
    workbook = Workbook()
    _fill(workbook.active, SHEET_BODIES, BODY_COLUMNS, body_rows)
    _fill(workbook.create_sheet(SHEET_PEOPLE), SHEET_PEOPLE, PERSON_COLUMNS, person_rows)
    _add_lists(workbook, area, [body[1] for body in body_rows], by=by)
    _write_help(workbook.create_sheet(SHEET_HELP))
    workbook.active = 0
    return to_bytes(workbook)


def _fill(sheet, title: str, columns: tuple, rows: list[list]) -> None:
    sheet.title = title
    write_header(sheet, [(header, width) for _name, header, width in columns])
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            put(sheet, row_number, column, value)


def _add_lists(workbook: Workbook, area: OrgUnit, body_names: list[str], *, by: User) -> None:
    """Drop-down lists from a hidden sheet: body kinds, roles, and the agencies of the area."""
    lists = {
        (SHEET_BODIES, "kind"): list(body_kind_labels().values()),
        (SHEET_PEOPLE, "roles"): list(ROLE_SHORT.values()),
        (SHEET_PEOPLE, "agency"): body_names,
    }
    list_sheet = workbook.create_sheet(SHEET_LISTS)
    for list_column, ((sheet_name, name), values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(list_column)
        put(list_sheet, 1, list_column, name)
        list_sheet.cell(row=1, column=list_column).font = Font(bold=True)
        for offset, value in enumerate(values, start=2):
            put(list_sheet, offset, list_column, value)
        fields = BODY_FIELDS if sheet_name == SHEET_BODIES else PERSON_FIELDS
        target = get_column_letter(fields.index(name) + 1)
        # The roles cell may hold several roles: a list there would refuse "Lãnh đạo, Quản trị".
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(SHEET_LISTS)}!${letter}$2:${letter}${max(2, len(values) + 1)}",
            allow_blank=True,
            showErrorMessage=name != "roles",
        )
        validation.add(f"{target}2:{target}{MAX_ROWS + 1}")
        workbook[sheet_name].add_data_validation(validation)
    list_sheet.sheet_state = "hidden"


HELP_LINES = (
    "Cách điền tệp cơ quan và cán bộ",
    "1. Sheet “Cơ quan”: mỗi dòng một cơ quan, đơn vị của địa bàn (Đảng ủy, UBND, Ủy ban MTTQ, các phòng, công an...). "
    "Ký hiệu dùng để đánh số văn bản (ví dụ Số: 15/TB-UBND): ghi đủ cho cơ quan ban hành thông báo kết luận.",
    "2. Sheet “Cán bộ”: mỗi dòng một người; cột Cơ quan ghi đúng tên một cơ quan của địa bàn (đã có hoặc ghi ở sheet “Cơ quan”).",
    "3. Vai trò: một hoặc nhiều trong Văn phòng, Lãnh đạo, Xử lý, Giám sát, Quản trị, cách nhau dấu phẩy.",
    "4. Địa bàn: mã đơn vị hành chính (ví dụ 00070 là phường Hoàn Kiếm) hoặc tên đầy đủ (Phường Hoàn Kiếm).",
    "5. Người đã có tài khoản được cập nhật theo Tên đăng nhập, nếu để trống thì theo E-mail: không tạo trùng. "
    "Để trống cả hai thì tạo tài khoản mới.",
    "6. Tài khoản mới nhận đường dẫn đặt mật khẩu qua e-mail (dùng một lần); không có e-mail thì quản trị in đường dẫn trao tận tay.",
    f"7. Tối đa {MAX_ROWS} dòng, 5 MB. Chương trình kiểm tra cả tệp trước: có dòng lỗi thì không lưu gì.",
)


def _write_help(sheet) -> None:
    for row, line in enumerate(HELP_LINES, start=1):
        put(sheet, row, 1, line)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 140


def counts(rows: list[Row]) -> Counter:
    return Counter("update" if row.existing is not None else "create" for row in rows)
