"""Excel round trip for a conference's opinions: a template to fill in, an importer that checks
every row with the fast-entry form (`PetitionRowForm`) before anything is saved, and an export
in the same columns so an exported file can be imported again.

The column headers and choice labels written to the files are Vietnamese whatever language the
user reads the site in: they are a file format that must read back the same, not page text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core.text import fold
from core.workbook import (  # noqa: F401 (the messages are part of this module's interface)
    MAX_UNCOMPRESSED_BYTES,
    NO,
    NO_SHEET,
    NOT_A_WORKBOOK,
    OLD_OR_PROTECTED,
    OLE_MAGIC,
    TOO_BIG_UNZIPPED,
    UNREADABLE,
    WRONG_HEADER,
    YES,
    ZIP_MAGIC,
    WorkbookError,
    check_header,
    header_cells,
    open_workbook,
    read_all,
    sheet_rows,
    to_bytes,
    write_header,
)
from core.workbook import WRAP as _WRAP
from core.workbook import put as _put
from dialogue.models import Conference
from petitions.forms import PetitionRowForm
from petitions.models import CONFIDENTIAL_PETITIONER, Category, Petition
from petitions.services import PetitionDraft

logger = logging.getLogger(__name__)

MAX_ROWS = 1000
# A 5 MB upload can unzip to gigabytes (a "zip bomb"); real sheets of 1000 rows stay far below.
SHEET_OPINIONS = "Ý kiến"
SHEET_LISTS = "Danh mục"
SHEET_HELP = "Hướng dẫn"
SHEET_CONFERENCE = "Hội nghị"

_TRUE_WORDS = {"co", "x", "yes", "true", "1", "da tra loi"}
_FALSE_WORDS = {"", "khong", "no", "false", "0", "chua", "chua tra loi"}

NO_ROWS = _("Tệp không có dòng ý kiến nào (dòng 1 là tiêu đề, ý kiến ghi từ dòng 2).")
TOO_MANY_ROWS = _(
    "Tệp có hơn %(limit)d dòng ý kiến. Hãy chia thành nhiều tệp, mỗi tệp tối đa %(limit)d dòng."
)
UNKNOWN_CHOICE = _("Không hiểu “%(value)s”. Hãy chọn một trong: %(choices)s.")
UNKNOWN_CATEGORY = _(
    "Không có lĩnh vực “%(value)s” trong danh mục. Hãy chọn từ danh sách (sheet “Danh mục” của tệp mẫu)."
)
NOT_YES_NO = _("Hãy ghi “Có” hoặc “Không” (để trống là “Không”).")


@dataclass(frozen=True)
class Column:
    field: str  # the PetitionRowForm field the column fills; "" for the row number
    header: str
    width: int


COLUMNS = (
    Column("", "STT", 6),
    Column("petitioner_type", "Người nêu (Cá nhân/Tổ chức/Ẩn danh)", 18),
    Column("petitioner_name", "Họ tên / tổ chức", 26),
    Column("petitioner_address", "Tổ dân phố / địa chỉ", 24),
    Column("channel", "Nguồn", 24),
    Column("category", "Lĩnh vực", 30),
    Column("kind", "Loại", 13),
    Column("content", "Nội dung", 60),
    Column("answered_at_conference", "Đã trả lời tại hội nghị (Có/Không)", 16),
    Column("conference_answer", "Nội dung trả lời", 45),
    Column("answered_by", "Người trả lời", 24),
    # The citizen's contact (issue 17). Files made before these columns existed have none:
    # they are read as empty (_read_cells).
    Column("petitioner_phone", "Điện thoại di động", 16),
    Column("petitioner_email", "E-mail", 26),
    Column("message_consent", "Đồng ý nhận tin (Có/Không)", 14),
)
CONTACT_FIELDS = ("petitioner_phone", "petitioner_email", "message_consent")
REQUIRED_COLUMNS = tuple(column for column in COLUMNS if column.field not in CONTACT_FIELDS)
EXPORT_EXTRA_COLUMNS = (Column("", "Mã tra cứu", 14), Column("", "Hướng xử lý", 26))
FIELDS = tuple(column.field for column in COLUMNS)
CHOICE_FIELDS = {
    "petitioner_type": Petition.PetitionerType.choices,
    "channel": Petition.Channel.choices,
    "kind": Petition.Kind.choices,
}


# --- Reading -----------------------------------------------------------------------------


@dataclass
class ImportRow:
    number: int  # the row's number in the sheet, as Excel shows it
    values: dict[str, str]  # field → the text shown to the user (choices as their labels)
    errors: dict[str, list[str]] = field(default_factory=dict)  # field ("__all__") → messages
    draft: PetitionDraft | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def cells(self) -> list[str]:
        return [self.values.get(column.field, "") for column in COLUMNS]

    @property
    def messages(self) -> list[tuple[str, str]]:
        """(column header, message) in the order of the columns; row-wide ones last."""
        headers = {column.field: column.header for column in COLUMNS if column.field}
        ordered = [name for name in FIELDS if name in self.errors]
        ordered += [name for name in self.errors if name not in ordered]
        return [(headers.get(name, ""), message) for name in ordered for message in self.errors[name]]


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole file: nothing was read

    @property
    def valid_count(self) -> int:
        return sum(row.is_valid for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.rows) - self.valid_count

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows) and self.error_count == 0

    def drafts(self) -> list[PetitionDraft]:
        return [row.draft for row in self.rows if row.draft is not None]

    def payload_rows(self) -> list[list]:
        """What the preview carries to the confirmation: the cells as read, checked again there."""
        return [[row.number, row.cells] for row in self.rows]


def parse_workbook(file: bytes | BinaryIO) -> ImportResult:
    """Read the first sheet of an .xlsx file and check every row. Never raises on bad input:
    whatever is wrong ends up in `errors` (the file) or in a row's `errors`."""
    try:
        rows = _read_cells(read_all(file))
    except WorkbookError as problem:
        return ImportResult(errors=[problem.message])
    except Exception:  # any input must give an answer, never a 500
        logger.info("Unreadable Excel upload", exc_info=True)
        return ImportResult(errors=[str(UNREADABLE)])
    return validate_rows(rows)


def validate_rows(rows: Iterable[tuple[int, list[str]]]) -> ImportResult:
    """Check rows of cells (in the order of COLUMNS) with the fast-entry form; used both on
    upload and again when the preview is confirmed."""
    categories = list(Category.objects.filter(is_active=True))
    lookups = _Lookups(categories)
    return ImportResult(rows=[_validate_row(number, cells, categories, lookups) for number, cells in rows])


def _read_cells(data: bytes) -> list[tuple[int, list[str]]]:
    workbook = open_workbook(data)
    try:
        sheet = workbook.worksheets[0]
        header = header_cells(sheet, len(COLUMNS))
        if header is None:  # an empty sheet
            raise WorkbookError(str(NO_ROWS))
        check_header(header, [column.header for column in REQUIRED_COLUMNS])
        # An older file (or an old export, with the tracking code next) has no contact columns.
        with_contact = header[len(REQUIRED_COLUMNS)] != "" and not _is_old_export(header)
        if with_contact:
            check_header(header, [column.header for column in COLUMNS])
        rows = []
        for number, cells in sheet_rows(sheet, len(COLUMNS), key_from=1):
            if len(rows) == MAX_ROWS:
                raise WorkbookError(str(TOO_MANY_ROWS % {"limit": MAX_ROWS}))
            if not with_contact:
                cells = [*cells[: len(REQUIRED_COLUMNS)], *([""] * len(CONTACT_FIELDS))]
            rows.append((number, cells))
    finally:
        workbook.close()
    if not rows:
        raise WorkbookError(str(NO_ROWS))
    return rows


def _is_old_export(header: list[str]) -> bool:
    return fold(header[len(REQUIRED_COLUMNS)]) == fold(EXPORT_EXTRA_COLUMNS[0].header)


def _yes_no(values: dict, data: dict, problems: dict, name: str) -> None:
    """A Có/Không column: the form's value in `data`, the label shown in `values`."""
    word = fold(values[name])
    if word in _TRUE_WORDS or word in _FALSE_WORDS:
        data[name] = "true" if word in _TRUE_WORDS else "false"
        values[name] = YES if word in _TRUE_WORDS else NO
    else:
        data[name] = "false"
        problems[name] = [str(NOT_YES_NO)]


class _Lookups:
    """Folded label (or code) → code, for the choice columns and the categories."""

    def __init__(self, categories: list[Category]):
        with translation.override("vi"):
            self.labels = {
                name: {code: str(label) for code, label in choices} for name, choices in CHOICE_FIELDS.items()
            }
        self.codes = {
            name: {
                **{fold(code): code for code in labels},
                **{fold(label): code for code, label in labels.items()},
            }
            for name, labels in self.labels.items()
        }
        self.categories = {fold(category.name): category for category in categories}


def _read_choices(values: dict, lookups: _Lookups, data: dict, problems: dict) -> None:
    """Each choice column by its code or its label, accents and case aside; a blank one takes
    the default the fast-entry grid shows pre-selected."""
    form_fields = PetitionRowForm.base_fields
    for name, labels in lookups.labels.items():
        text = values[name]
        code = lookups.codes[name].get(fold(text)) if text else str(form_fields[name].initial)
        if code is None:
            data[name] = ""
            problems[name] = [str(UNKNOWN_CHOICE % {"value": text, "choices": ", ".join(labels.values())})]
        else:
            data[name] = code
            values[name] = labels[code]


def _read_category(values: dict, lookups: _Lookups, data: dict, problems: dict) -> Category | None:
    category = lookups.categories.get(fold(values["category"]))
    data["category"] = str(category.pk) if category else ""
    if category:
        values["category"] = category.name
    elif values["category"]:
        problems["category"] = [str(UNKNOWN_CATEGORY % {"value": values["category"]})]
    return category


def _cross_field_errors(data: dict, category: Category | None) -> dict[str, list]:
    """The rules across fields, asked of the row as it stands: the form checks them only once
    every field is valid, and a file is fixed and sent again as a whole, so all show at once."""
    partial = PetitionDraft(
        kind=data["kind"],
        channel=data["channel"],
        category=category,
        content=data["content"],
        petitioner_type=data["petitioner_type"],
        petitioner_name=data["petitioner_name"],
        answered_at_conference=data["answered_at_conference"] == "true",
        conference_answer=data["conference_answer"],
        petitioner_phone=data["petitioner_phone"],
        petitioner_email=data["petitioner_email"],
        message_consent=data["message_consent"] == "true",
    )
    return partial.errors()


def _validate_row(number: int, cells: list[str], categories: list[Category], lookups: _Lookups) -> ImportRow:
    values = dict(zip(FIELDS, cells, strict=True))
    data: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    _read_choices(values, lookups, data, problems)
    category = _read_category(values, lookups, data, problems)
    _yes_no(values, data, problems, "answered_at_conference")
    _yes_no(values, data, problems, "message_consent")

    text_fields = ("petitioner_name", "petitioner_address", "content", "conference_answer", "answered_by")
    for name in (*text_fields, "petitioner_phone", "petitioner_email"):
        data[name] = values[name]
    if values["petitioner_phone"].isdigit() and len(values["petitioner_phone"]) == 9:
        # Typed as a number, Excel drops the leading 0 of 0912345678.
        data["petitioner_phone"] = values["petitioner_phone"] = "0" + values["petitioner_phone"]

    form = PetitionRowForm(data=data, categories=categories)
    errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    errors.update(problems)  # a label we could not read explains more than "required"
    if errors:
        for name, messages in _cross_field_errors(data, category).items():
            errors.setdefault(name, [str(message) for message in messages])
    draft = form.to_draft() if not errors else None
    return ImportRow(number=number, values=values, errors=errors, draft=draft)


# --- Writing -----------------------------------------------------------------------------


def _write_header(sheet: Worksheet, columns: tuple[Column, ...]) -> None:
    write_header(sheet, [(column.header, column.width) for column in columns])


def _choice_labels() -> dict[str, list[str]]:
    with translation.override("vi"):
        return {name: [str(label) for _code, label in choices] for name, choices in CHOICE_FIELDS.items()}


def template_workbook() -> bytes:
    """An empty sheet to fill in, with drop-down lists on the choice columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_OPINIONS
    _write_header(sheet, COLUMNS)
    sheet.cell(row=1, column=1).comment = Comment(
        "Mỗi dòng một ý kiến, ghi từ dòng 2. Xem sheet “Hướng dẫn” để có dòng ví dụ.", "Đối thoại"
    )

    lists = {**_choice_labels(), "category": [c.name for c in Category.objects.filter(is_active=True)]}
    lists["answered_at_conference"] = [YES, NO]
    lists["message_consent"] = [YES, NO]
    list_sheet = workbook.create_sheet(SHEET_LISTS)
    # Lists live on a hidden sheet: a list typed into the validation itself is capped at 255
    # characters, which the categories exceed.
    last_row = MAX_ROWS + 1
    for list_column, column in enumerate((c for c in COLUMNS if c.field in lists), start=1):
        letter = get_column_letter(list_column)
        _put(list_sheet, 1, list_column, column.header)
        list_sheet.cell(row=1, column=list_column).font = Font(bold=True)
        for offset, label in enumerate(lists[column.field], start=2):
            _put(list_sheet, offset, list_column, label)
        list_sheet.column_dimensions[letter].width = column.width
        source = f"{quote_sheetname(SHEET_LISTS)}!${letter}$2:${letter}${len(lists[column.field]) + 1}"
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Giá trị không có trong danh sách",
            error="Hãy chọn một giá trị trong danh sách thả xuống.",
        )
        target = get_column_letter(FIELDS.index(column.field) + 1)
        validation.add(f"{target}2:{target}{last_row}")
        sheet.add_data_validation(validation)
    list_sheet.sheet_state = "hidden"

    for index, column in enumerate(COLUMNS, start=1):
        if column.field in ("content", "conference_answer"):
            for row in range(2, 52):  # the first rows a clerk fills; wider ranges bloat the file
                sheet.cell(row=row, column=index).alignment = _WRAP

    _write_help(workbook.create_sheet(SHEET_HELP, index=1))
    workbook.active = 0
    return to_bytes(workbook)


HELP_LINES = (
    "Cách điền tệp nhập ý kiến",
    "1. Mỗi dòng của sheet “Ý kiến” là một ý kiến; dòng 1 là tiêu đề, không sửa, không chèn dòng tên hội nghị lên trên.",
    "2. Các cột Người nêu, Nguồn, Lĩnh vực, Loại, Đã trả lời chọn từ danh sách thả xuống.",
    "3. Để trống Người nêu thì lấy “Cá nhân”, để trống Nguồn thì lấy “Phát biểu tại hội nghị”, "
    "để trống Loại thì lấy “Kiến nghị”, để trống Đã trả lời thì lấy “Không”.",
    "4. Họ tên / tổ chức bắt buộc, trừ khi Người nêu là “Ẩn danh”. Nội dung và Lĩnh vực bắt buộc.",
    "5. Ghi “Có” ở cột Đã trả lời thì phải ghi Nội dung trả lời.",
    f"6. Tối đa {MAX_ROWS} dòng và 5 MB mỗi tệp. Chương trình kiểm tra toàn bộ tệp trước: "
    "nếu có dòng lỗi thì không lưu dòng nào cho đến khi sửa xong.",
    "7. Thông tin người tố cáo được bảo mật: tệp xuất ra không ghi họ tên, địa chỉ, điện thoại, e-mail người tố cáo.",
    "8. Điện thoại di động, E-mail và Đồng ý nhận tin: ghi khi người nêu muốn nhận tin nhắn về ý kiến "
    "(tiếp nhận, giao giải quyết, gia hạn, trả lời). Đồng ý nhận tin thì phải có số di động hoặc e-mail.",
    "",
    "Dòng ví dụ (không nhập dòng này):",
)


def _write_help(sheet: Worksheet) -> None:
    for row, line in enumerate(HELP_LINES, start=1):
        _put(sheet, row, 1, line)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    header_row = len(HELP_LINES) + 1
    with translation.override("vi"):
        example = [
            1,
            str(Petition.PetitionerType.PERSON.label),
            "Nguyễn Văn An",
            "Tổ dân phố số 5",
            str(Petition.Channel.AT_CONFERENCE.label),
            "Giao thông – hạ tầng",
            str(Petition.Kind.RECOMMENDATION.label),
            "Đề nghị sửa đoạn đường ngõ 12 bị lún, ngập khi mưa.",
            YES,
            "Phường sẽ đưa vào kế hoạch duy tu quý III.",
            "Chủ tịch UBND phường",
            "0912 345 678",
            "nguyenvanan@gmail.com",
            YES,
        ]
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.alignment = _WRAP
        _put(sheet, header_row + 1, index, example[index - 1])
        sheet.cell(row=header_row + 1, column=index).alignment = _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = column.width


def export_workbook(conference: Conference, petitions: Iterable[Petition]) -> bytes:
    """A conference's opinions in the import columns, plus tracking code and outcome. A
    denouncer's identity never leaves the system: name masked, address left empty."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_OPINIONS
    _write_header(sheet, COLUMNS + EXPORT_EXTRA_COLUMNS)
    count = 0
    with translation.override("vi"):
        for row, petition in enumerate(petitions, start=2):
            count += 1
            # The contact is identity: a denouncer's never leaves the system.
            phone, email = petition.petitioner_phone, petition.petitioner_email
            if petition.is_confidential:
                name, address, phone, email = str(CONFIDENTIAL_PETITIONER), "", "", ""
            elif petition.petitioner_type == Petition.PetitionerType.ANONYMOUS:
                name, address = "", petition.petitioner_address
            else:
                name, address = petition.petitioner_name, petition.petitioner_address
            values = [
                petition.position,
                petition.get_petitioner_type_display(),
                name,
                address,
                petition.get_channel_display(),
                petition.category.name,
                petition.get_kind_display(),
                petition.content,
                YES if petition.answered_at_conference else NO,
                petition.conference_answer,
                petition.answered_by,
                phone,
                email,
                YES if petition.message_consent and not petition.is_confidential else NO,
                petition.tracking_code,
                petition.get_outcome_display(),
            ]
            for column, value in enumerate(values, start=1):
                _put(sheet, row, column, str(value) if isinstance(value, str) else value)
                sheet.cell(row=row, column=column).alignment = _WRAP
        _write_conference(workbook.create_sheet(SHEET_CONFERENCE), conference, count)
    return to_bytes(workbook)


def _write_conference(sheet: Worksheet, conference: Conference, count: int) -> None:
    """Conference details on their own sheet: a title row above the header would stop the
    file from being imported again."""
    starts_at = timezone.localtime(conference.starts_at)
    lines = [
        ("Hội nghị", conference.title),
        ("Địa bàn", conference.host_area.name),
        ("Thời gian", starts_at.strftime("%H:%M %d/%m/%Y")),
        ("Địa điểm", conference.place),
        ("Trạng thái", str(conference.get_status_display())),
        ("Số ý kiến", count),
        ("Xuất lúc", timezone.localtime().strftime("%H:%M %d/%m/%Y")),
        ("Lưu ý", "Thông tin người tố cáo được bảo mật, không ghi trong tệp này."),
    ]
    for row, (label, value) in enumerate(lines, start=1):
        _put(sheet, row, 1, label)
        sheet.cell(row=row, column=1).font = Font(bold=True)
        _put(sheet, row, 2, value)
        sheet.cell(row=row, column=2).alignment = _WRAP
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 80
