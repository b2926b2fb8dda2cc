"""Reading and writing the .xlsx files people fill in by hand (the opinions of a conference,
the staff of an area): the checks an upload must pass before openpyxl sees it, a cell's value
as the text a person reads in it, and the header style of every template.

Every importer built on this is all-or-nothing: it reads the whole file, checks every row and
shows every error before anything is saved.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.text import fold

IMPORT_MAX_BYTES = 5 * 1024 * 1024
# A 5 MB upload can unzip to gigabytes (a "zip bomb"); real sheets of 1000 rows stay far below.
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
# Old .xls files and password-protected .xlsx files are both OLE compound documents.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NOT_A_WORKBOOK = _(
    "Tệp không phải là tệp Excel .xlsx hợp lệ. Hãy tải tệp mẫu, điền vào rồi lưu dưới dạng .xlsx."
)
OLD_OR_PROTECTED = _(
    "Tệp là Excel cũ (.xls) hoặc đã đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu nếu có, "
    "rồi lưu lại dưới dạng “Excel Workbook (.xlsx)”."
)
UNREADABLE = _("Không đọc được tệp Excel (tệp hỏng hoặc không đúng định dạng .xlsx).")
TOO_BIG_UNZIPPED = _(
    "Tệp Excel chứa quá nhiều dữ liệu. Hãy chỉ để lại các sheet dữ liệu và xóa các dòng, cột thừa."
)
NO_SHEET = _("Tệp Excel không có sheet dữ liệu nào.")
WRONG_HEADER = _(
    "Dòng tiêu đề (dòng 1) không đúng mẫu: cột %(column)s phải là “%(expected)s” nhưng tệp ghi “%(found)s”. "
    "Hãy dùng tệp mẫu tải từ trang này."
)
FILE_TOO_LARGE = _("Tệp quá lớn (%(size)s). Tệp nhập tối đa %(limit)s.")
FILE_NOT_XLSX = _(
    "Chỉ nhận tệp Excel có đuôi .xlsx. Tệp .xls (Excel cũ) hãy mở bằng Excel rồi lưu lại dưới dạng .xlsx."
)

YES = "Có"
NO = "Không"


class WorkbookError(Exception):
    """The file as a whole cannot be read: nothing in it was looked at."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def validate_xlsx_upload(upload, limit: int = IMPORT_MAX_BYTES) -> None:
    """A form field's check, before the file is opened: size, extension and first bytes."""
    if upload.size > limit:
        raise ValidationError(
            FILE_TOO_LARGE,
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    if not upload.name.lower().endswith(".xlsx"):
        raise ValidationError(FILE_NOT_XLSX, code="extension")
    upload.seek(0)
    head = upload.read(len(OLE_MAGIC))
    upload.seek(0)
    if head.startswith(OLE_MAGIC):
        raise ValidationError(OLD_OR_PROTECTED, code="content")
    if not head.startswith(ZIP_MAGIC):
        raise ValidationError(NOT_A_WORKBOOK, code="content")


def read_all(file: bytes | BinaryIO) -> bytes:
    if isinstance(file, bytes):
        return file
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read()


def open_workbook(data: bytes):
    """A read-only openpyxl workbook (close it), once the bytes look like a real .xlsx."""
    if data.startswith(OLE_MAGIC):
        raise WorkbookError(str(OLD_OR_PROTECTED))
    if not data.startswith(ZIP_MAGIC):
        raise WorkbookError(str(NOT_A_WORKBOOK))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            is_workbook = "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        raise WorkbookError(str(NOT_A_WORKBOOK)) from None
    if not is_workbook:  # a .docx or any zip renamed
        raise WorkbookError(str(NOT_A_WORKBOOK))
    if unzipped > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookError(str(TOO_BIG_UNZIPPED))
    with warnings.catch_warnings():
        # openpyxl warns about Excel features it does not read (extensions, styles).
        warnings.simplefilter("ignore")
        # data_only: a formula cell gives the value Excel last calculated, not its text.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    if not workbook.worksheets:
        workbook.close()
        raise WorkbookError(str(NO_SHEET))
    return workbook


def sheet_rows(sheet, width: int, *, key_from: int = 0) -> Iterator[tuple[int, list[str]]]:
    """(row number as Excel shows it, cells as text) of every data row below the header; rows
    blank from column `key_from` on are skipped (a row number typed ahead is not a row).
    Read-only sheets yield an empty tuple for each missing row, so counting keeps the numbers."""
    for number, raw in enumerate(sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
        cells = cells_text(raw, width)
        if any(cells[key_from:]):
            yield number, cells


def header_cells(sheet, width: int) -> list[str] | None:
    first = next(sheet.iter_rows(min_row=1, max_row=1, max_col=width, values_only=True), None)
    return None if first is None else cells_text(first, width)


def cells_text(raw: tuple | None, width: int) -> list[str]:
    texts = [cell_text(value) for value in (raw or ())][:width]
    return texts + [""] * (width - len(texts))


def cell_text(value) -> str:
    """A cell's value as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M" if value.time() != time(0) else "%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        return str(value)
    # Vietnamese typed with different keyboards may arrive decomposed: store one form.
    return unicodedata.normalize("NFC", str(value)).strip()


def header_variants(header: str) -> set[str]:
    """A header matches folded, and without its parenthesised hint ("Loại (chọn)" → "loai")."""
    folded = fold(header)
    return {folded, folded.split("(", 1)[0].strip()}


def check_header(cells: Sequence[str], headers: Sequence[str]) -> None:
    for index, expected in enumerate(headers):
        found = cells[index] if index < len(cells) else ""
        if fold(found) not in header_variants(expected):
            raise WorkbookError(
                str(
                    WRONG_HEADER
                    % {"column": get_column_letter(index + 1), "expected": expected, "found": found}
                )
            )


# --- Writing -----------------------------------------------------------------------------

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1D4F91")
WRAP = Alignment(wrap_text=True, vertical="top")


def put(sheet: Worksheet, row: int, column: int, value) -> None:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        # What a person typed is text, never a formula Excel would run ("=HYPERLINK(...)").
        cell.data_type = "s"


def write_header(sheet: Worksheet, columns: Sequence[tuple[str, int]]) -> None:
    """Row 1: each (header, width), white on blue, frozen above the data."""
    for index, (header, width) in enumerate(columns, start=1):
        put(sheet, 1, index, header)
        cell = sheet.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[1].height = 45
    sheet.freeze_panes = "A2"


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
