"""PDF of the reports, in the official layout of the conclusion notices (conclusions/pdf.py):
A4, the shipped Liberation Serif embedded, Decree 30 margins, the national motto header, page
numbers from page 2. The notice's stylesheet (static/css/notice-pdf.css) is reused as is; the
tables of a report add a small stylesheet of their own (templates/dashboards/reports/pdf/report.css).
Nothing is fetched from the network (the notice's local-only URL fetcher).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import OrgUnit
from conclusions.pdf import header_lines, recipient_lines
from core.pdf import BLANK, vietnamese_date
from core.pdf import render_document as render_official_document
from core.pdf import render_pdf as render_official_pdf
from dashboards.reports import PeriodicReport, StatisticsReport

REPORT_CSS = "dashboards/reports/pdf/report.css"
STATISTICS_TEMPLATE = "dashboards/reports/pdf/statistics.html"
PERIODIC_TEMPLATE = "dashboards/reports/pdf/periodic.html"


def render_pdf(template: str, context: dict) -> bytes:
    return render_official_pdf(template, context, extra_css=render_to_string(REPORT_CSS))


def _dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def period_line(report) -> str:
    return f"(Từ ngày {_dmy(report.period.start)} đến ngày {_dmy(report.period.end)})"


def statistics_pdf(report: StatisticsReport, *, issuer: OrgUnit | None) -> bytes:
    """The statistics table under the header of the body that prints it (the user's agency)."""
    today = timezone.localdate()
    context = {
        "report": report,
        "issuer_lines": header_lines(issuer.name if issuer else report.area.name),
        "place_date": f"{report.area.place_name}, {vietnamese_date(today)}",
        "area_name": report.area.name,
        "period_line": period_line(report),
    }
    with translation.override("vi"):  # an official document: Vietnamese numbers ("2.984") always
        return render_pdf(STATISTICS_TEMPLATE, context)


@dataclass(frozen=True)
class Signature:
    title: str  # "CHỦ TỊCH"
    name: str
    mode: str = "TM."


def _collective(issuer: OrgUnit | None) -> str:
    if issuer is None or issuer.kind == OrgUnit.Kind.PEOPLES_COMMITTEE:
        return "ỦY BAN NHÂN DÂN"
    return issuer.name.upper()


def periodic_context(
    report: PeriodicReport, *, signature: Signature, number_label: str = "", day: date | None = None
) -> dict:
    """The report's template context: a report printed for review leaves the number blank and
    is dated today; an issued one (dashboards.services.report_issue) carries its BC number
    from the register and its issue date."""
    issuer_name = report.issuer.name if report.issuer else f"Ủy ban nhân dân {report.area.name}"
    symbol = (report.issuer.symbol if report.issuer else "") or "UBND"
    front = next((line for line in report.recipients if "MTTQ" in line or "Mặt trận" in line), "")
    return {
        "report": report,
        "issuer_lines": header_lines(issuer_name),
        "number_text": f"Số: {number_label}" if number_label else f"Số: {BLANK}/BC-{symbol}",
        "place_date": f"{report.area.place_name}, {vietnamese_date(day or timezone.localdate())}",
        "period_line": period_line(report),
        "addressee": front,
        "remaining_problems": _paragraphs(report.remaining_problems),
        "proposals": _paragraphs(report.proposals),
        "recipients": recipient_lines(report.recipients),
        "signature_lines": [f"{signature.mode} {_collective(report.issuer)}", signature.title.upper()],
        "signer_name": signature.name,
    }


def periodic_pdf(report: PeriodicReport, *, signature: Signature) -> bytes:
    """The report of the results of the dialogues and of the handling of opinions, addressed
    to the Fatherland Front: number left blank for the office to fill in at issue."""
    return render_pdf(PERIODIC_TEMPLATE, periodic_context(report, signature=signature))


def periodic_document(context: dict):
    """The issued report laid out (WeasyPrint's document, for the signatures to find their
    space): `context` is `periodic_context` with the verify mark (registers.documents)."""
    return render_official_document(PERIODIC_TEMPLATE, context, extra_css=render_to_string(REPORT_CSS))


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
