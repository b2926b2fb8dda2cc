"""Excel files of the reports and of the lists: the statistics report, the opinions list and
the assignments list with the filters of the page they were asked from.

Workbooks are written in openpyxl's write-only mode and rows are read with
`iterator(chunk_size=...)`, so memory stays flat however many rows (a million assignments):
openpyxl streams each row to a temporary file. Headers are Vietnamese whatever the user's
language (a file sent on to other offices), dates dd/mm/yyyy. A denouncer's identity never
leaves the system: the petitioner column is `Petition.public_petitioner`.

The three `@exporter` functions are what core.exports runs in the worker; the job's owner is
the user whose scope every query goes through.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from django.http import QueryDict
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from accounts.models import OrgUnit
from conclusions.filters import AssignmentFilter
from conclusions.models import Assignment
from core.exports import ExportError, ExportProgress, exporter
from core.models import ExportJob
from dashboards.metrics import Period
from dashboards.reports import AreaRow, Counts, StatisticsReport, area_detail_rows, statistics_report
from petitions.forms import PetitionFilter
from petitions.models import Petition

CHUNK_SIZE = 2000
DATE_FORMAT = "DD/MM/YYYY"
PERCENT_FORMAT = "0.0"
# Grouped whole numbers: shown "2.984" by a Vietnamese Excel (the locale's separator), as the
# review writes them; the cell keeps the number, so sums and formulas still work.
COUNT_FORMAT = "#,##0"
TITLE_FONT = Font(bold=True, size=13)
SUBTITLE_FONT = Font(italic=True)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1D4F91")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
BOLD = Font(bold=True)

AREA_GONE = "Địa bàn không còn trong phạm vi của bạn."
CONFIDENTIALITY_NOTE = "Thông tin người tố cáo được bảo mật, không ghi trong tệp này."


@dataclass(frozen=True)
class XColumn:
    header: str
    width: int
    number_format: str | None = None


def day_text(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def period_text(period: Period) -> str:
    return f"Từ ngày {day_text(period.start)} đến ngày {day_text(period.end)}"


class StreamSheet:
    """A write-only sheet: title lines (bold, merged across the columns), a blank row, a bold
    header row frozen in place, then rows appended one by one."""

    def __init__(self, workbook: Workbook, name: str, columns: tuple[XColumn, ...], title_lines: list[str]):
        self.sheet = workbook.create_sheet(name)
        self.columns = columns
        last = get_column_letter(len(columns))
        self.header_row = len(title_lines) + 2
        # Sheet views are written before the first row: freeze below the header now.
        self.sheet.freeze_panes = f"A{self.header_row + 1}"
        for index, column in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        for row, line in enumerate(title_lines, start=1):
            self.sheet.append([self._cell(line, font=TITLE_FONT if row == 1 else SUBTITLE_FONT)])
            self.sheet.merged_cells.add(f"A{row}:{last}{row}")
        self.sheet.append([])
        self.sheet.append(
            [
                self._cell(c.header, font=HEADER_FONT, fill=HEADER_FILL, align=HEADER_ALIGNMENT)
                for c in columns
            ]
        )

    def _cell(self, value, *, font=None, fill=None, align=None, number_format=None) -> WriteOnlyCell:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # what a citizen wrote is text, never a formula Excel would run
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if align:
            cell.alignment = align
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
        elif number_format:
            cell.number_format = number_format
        return cell

    def append(self, values: Iterable, *, bold: bool = False) -> None:
        self.sheet.append(
            [
                self._cell(value, font=BOLD if bold else None, number_format=column.number_format)
                for value, column in zip(values, self.columns, strict=False)
            ]
        )


def _save(workbook: Workbook, target: Path | BinaryIO) -> None:
    workbook.save(target)


# --- the statistics report ----------------------------------------------------------------

STATISTICS_TITLE = "THỐNG KÊ KẾT QUẢ TIẾP XÚC, ĐỐI THOẠI VÀ GIẢI QUYẾT Ý KIẾN, KIẾN NGHỊ"
COUNT_COLUMNS = (
    XColumn("Số hội nghị, cuộc tiếp xúc đã tổ chức", 14, COUNT_FORMAT),
    XColumn("Tỷ lệ số hội nghị (%)", 12, PERCENT_FORMAT),
    XColumn("Số lượt người tham dự", 14, COUNT_FORMAT),
    XColumn("Số ý kiến, kiến nghị tiếp nhận", 16, COUNT_FORMAT),
    XColumn("Số ý kiến, kiến nghị đã tiếp thu", 16, COUNT_FORMAT),
    XColumn("Số ý kiến, kiến nghị đã giải quyết", 16, COUNT_FORMAT),
    XColumn("Tỷ lệ giải quyết (%)", 12, PERCENT_FORMAT),
)
STATISTICS_COLUMNS = (XColumn("Cấp, địa bàn", 46), *COUNT_COLUMNS)
DETAIL_COLUMNS = (
    XColumn("STT", 7),
    XColumn("Địa bàn", 40),
    XColumn("Trực thuộc", 32),
    XColumn("Số hội nghị đã tổ chức", 14, COUNT_FORMAT),
    XColumn("Số lượt người tham dự", 14, COUNT_FORMAT),
    XColumn("Số ý kiến, kiến nghị tiếp nhận", 16, COUNT_FORMAT),
    XColumn("Số ý kiến, kiến nghị đã tiếp thu", 16, COUNT_FORMAT),
    XColumn("Số ý kiến, kiến nghị đã giải quyết", 16, COUNT_FORMAT),
    XColumn("Tỷ lệ giải quyết (%)", 12, PERCENT_FORMAT),
)
SECTION_VOTER_MEETINGS = "Tiếp xúc cử tri của đại biểu dân cử"
SECTION_CHANNELS = "Ý kiến, kiến nghị nhận ngoài hội nghị"
SECTION_CHILDREN = "Hội nghị tiếp xúc, đối thoại theo địa bàn trực thuộc"
SHEET_STATISTICS = "Thống kê"
SHEET_DETAIL = "Chi tiết theo địa bàn"


def statistics_title_lines(report: StatisticsReport) -> list[str]:
    lines = [
        STATISTICS_TITLE,
        f"Địa bàn: {report.area.name} – {period_text(report.period)}",
        f"Lập ngày {day_text(timezone.localdate())}",
    ]
    if report.predecessors:
        lines.append(f"Gồm cả số liệu của đơn vị tiền thân: {', '.join(u.name for u in report.predecessors)}")
    return lines


def _share(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _count_values(row: Counts, total: Counts | None) -> list:
    """A row of the summary sheet; total=None for opinions received outside meetings (no
    conferences, no participants)."""
    if total is None:
        return [None, None, None, row.received, row.acknowledged, row.resolved, row.resolved_percent]
    return [
        row.conferences,
        _share(row.conferences, total.conferences),
        row.participants,
        row.received,
        row.acknowledged,
        row.resolved,
        row.resolved_percent,
    ]


def write_statistics(
    report: StatisticsReport,
    detail: Iterable[AreaRow],
    target: Path | BinaryIO,
    progress: ExportProgress | None = None,
) -> None:
    """Sheet 1: per level, the total, and per area directly below; sheet 2: every area of the
    subtree with its own records (the rows add up to the total)."""
    workbook = Workbook(write_only=True)
    with translation.override("vi"):
        summary = StreamSheet(workbook, SHEET_STATISTICS, STATISTICS_COLUMNS, statistics_title_lines(report))
        for row in report.levels:
            summary.append([str(row.level.label), *_count_values(row, report.total)])
        summary.append(["Tổng cộng", *_count_values(report.total, report.total)], bold=True)
        summary.append([])
        summary.append([SECTION_VOTER_MEETINGS], bold=True)
        for row in report.voter_meetings:
            summary.append([str(row.label), *_count_values(row, report.voter_total)])
        summary.append(["Tổng cộng", *_count_values(report.voter_total, report.voter_total)], bold=True)
        summary.append([])
        summary.append([SECTION_CHANNELS], bold=True)
        for row in report.channels:
            summary.append([str(row.label), *_count_values(row, None)])
        summary.append(["Tổng cộng", *_count_values(report.channel_total, None)], bold=True)
        if report.children:
            summary.append([])
            summary.append([SECTION_CHILDREN], bold=True)
            for row in report.children:
                summary.append([_child_name(report, row), *_count_values(row, report.total)])
        details = StreamSheet(workbook, SHEET_DETAIL, DETAIL_COLUMNS, statistics_title_lines(report))
        for number, row in enumerate(detail, start=1):
            parent = row.area.parent.name if row.area.parent_id else ""
            details.append(
                [
                    number,
                    row.area.name,
                    parent,
                    row.conferences,
                    row.participants,
                    row.received,
                    row.acknowledged,
                    row.resolved,
                    row.resolved_percent,
                ]
            )
            if progress:
                progress.advance()
    _save(workbook, target)


def _child_name(report: StatisticsReport, row: AreaRow) -> str:
    if row.own:
        return f"{row.area.name} (cấp {report.area.name} trực tiếp)"
    if row.predecessor:
        return f"{row.area.name} (đơn vị tiền thân)"
    return row.area.name


def statistics_filename(report: StatisticsReport) -> str:
    return f"thong-ke-doi-thoai-{report.period.start:%d%m%Y}-{report.period.end:%d%m%Y}.xlsx"


def statistics_parameters(area: OrgUnit, period: Period) -> dict:
    return {"area": area.pk, "start": period.start.isoformat(), "end": period.end.isoformat()}


@exporter
def statistics_workbook(job: ExportJob, progress: ExportProgress, path: Path) -> str:
    user, parameters = job.requested_by, job.parameters
    area = OrgUnit.objects.visible_to(user).areas().filter(pk=parameters["area"]).first()
    if area is None:
        raise ExportError(AREA_GONE)
    period = Period(date.fromisoformat(parameters["start"]), date.fromisoformat(parameters["end"]))
    today = timezone.localdate()
    report = statistics_report(user=user, area=area, period=period, today=today)
    progress.start(OrgUnit.objects.visible_to(user).areas().filter(path__startswith=area.path).count())
    write_statistics(report, area_detail_rows(user, area, period, today, report.meetings), path, progress)
    return statistics_filename(report)


# --- the lists ----------------------------------------------------------------------------


def query_of(parameters: dict) -> QueryDict:
    """The list's query string as the page had it (stored as {name: [values]})."""
    query = QueryDict(mutable=True)
    for name, values in parameters.get("filters", {}).items():
        query.setlist(name, values)
    return query


def list_parameters(query: QueryDict) -> dict:
    return {"filters": {name: query.getlist(name) for name in query if name != "page"}}


def _list_title_lines(title: str, user, count: int) -> list[str]:
    scope = user.area.name if user.area else ""
    return [
        title,
        f"Phạm vi: {scope} – {count} dòng – xuất ngày {day_text(timezone.localdate())}",
        CONFIDENTIALITY_NOTE,
    ]


PETITION_COLUMNS = (
    XColumn("STT", 8),
    XColumn("Mã tra cứu", 14),
    XColumn("Ngày tiếp nhận", 13),
    XColumn("Địa bàn", 28),
    XColumn("Hội nghị", 36),
    XColumn("Loại", 12),
    XColumn("Nguồn", 22),
    XColumn("Lĩnh vực", 26),
    XColumn("Người nêu", 32),
    XColumn("Nội dung", 70),
    XColumn("Hướng xử lý", 24),
    XColumn("Ngày giải quyết xong", 13),
)


def petitions_for_export(user, query: QueryDict):
    visible = Petition.objects.visible_to(user)
    filterset = PetitionFilter(query or None, queryset=visible, user=user)
    rows = filterset.qs if filterset.is_bound else visible
    return (
        rows.select_related("area", "category", "conference")
        .only(
            "pk",
            "tracking_code",
            "received_on",
            "kind",
            "channel",
            "content",
            "outcome",
            "resolved_on",
            "petitioner_type",
            "petitioner_name",
            "petitioner_address",
            "area__name",
            "category__name",
            "conference__title",
        )
        .order_by("-received_on", "-pk")
    )


@exporter
def petitions_workbook(job: ExportJob, progress: ExportProgress, path: Path) -> str:
    user = job.requested_by
    rows = petitions_for_export(user, query_of(job.parameters))
    total = rows.count()
    progress.start(total)
    workbook = Workbook(write_only=True)
    with translation.override("vi"):
        sheet = StreamSheet(
            workbook,
            "Ý kiến",
            PETITION_COLUMNS,
            _list_title_lines("DANH SÁCH Ý KIẾN, KIẾN NGHỊ", user, total),
        )
        for number, petition in enumerate(rows.iterator(chunk_size=CHUNK_SIZE), start=1):
            sheet.append(
                [
                    number,
                    petition.tracking_code,
                    petition.received_on,
                    petition.area.name,
                    petition.conference.title if petition.conference_id else "",
                    petition.get_kind_display(),
                    petition.get_channel_display(),
                    petition.category.name,
                    petition.public_petitioner,
                    petition.content,
                    petition.get_outcome_display(),
                    petition.resolved_on,
                ]
            )
            progress.advance()
    _save(workbook, path)
    return f"danh-sach-y-kien-{timezone.localdate():%d%m%Y}.xlsx"


ASSIGNMENT_COLUMNS = (
    XColumn("STT", 8),
    XColumn("Thông báo kết luận", 18),
    XColumn("Ngày ban hành", 13),
    XColumn("Nội dung công việc", 60),
    XColumn("Cơ quan chủ trì", 34),
    XColumn("Người chịu trách nhiệm", 24),
    XColumn("Hạn xử lý", 13),
    XColumn("Trạng thái", 20),
    XColumn("Số ngày quá hạn", 11),
)


def assignments_for_export(user, query: QueryDict, today: date):
    query = query.copy()
    query.setdefault("show", "open")  # the list's default: what is still being worked on
    filterset = AssignmentFilter(query, queryset=Assignment.objects.visible_to(user), user=user, today=today)
    rows = filterset.qs
    return rows.select_related("notice", "lead_agency", "responsible_person").order_by("deadline", "pk")


@exporter
def assignments_workbook(job: ExportJob, progress: ExportProgress, path: Path) -> str:
    user = job.requested_by
    today = timezone.localdate()
    rows = assignments_for_export(user, query_of(job.parameters), today)
    total = rows.count()
    progress.start(total)
    workbook = Workbook(write_only=True)
    with translation.override("vi"):
        sheet = StreamSheet(
            workbook,
            "Việc được giao",
            ASSIGNMENT_COLUMNS,
            _list_title_lines("DANH SÁCH VIỆC ĐƯỢC GIAO", user, total),
        )
        for number, assignment in enumerate(rows.iterator(chunk_size=CHUNK_SIZE), start=1):
            notice = assignment.notice
            person = assignment.responsible_person
            sheet.append(
                [
                    number,
                    notice.number_label if notice else "",
                    notice.issued_on if notice else None,
                    assignment.task,
                    assignment.lead_agency.name,
                    person.get_full_name() if person else "",
                    assignment.deadline,
                    assignment.get_status_display(),
                    assignment.days_overdue(today) or None,
                ]
            )
            progress.advance()
    _save(workbook, path)
    return f"danh-sach-viec-duoc-giao-{today:%d%m%Y}.xlsx"
