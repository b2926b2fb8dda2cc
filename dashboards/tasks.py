"""Celery tasks of the dashboards app. The export runner lives in core (core/exports.py) and
its exporters here (dashboards/report_xlsx.py); importing both from this module, which the
worker's autodiscovery loads, registers `core.exports.export_run` and
`core.exports.exports_cleanup` with every worker."""

import logging
import time

from celery import shared_task

from core.exports import export_run, exports_cleanup
from dashboards import report_xlsx, summaries

__all__ = ["export_run", "exports_cleanup", "figures_refresh", "report_xlsx"]

logger = logging.getLogger(__name__)


# A refresh replaces every row in one transaction: two at once would only repeat the work, so
# a refresh older than the interval is not worth running (expires) and none is retried.
@shared_task(expires=60 * 9, ignore_result=True)
def figures_refresh() -> int:
    """Rebuild the monthly summaries of the supervision figures (dashboards/summaries.py)."""
    started = time.monotonic()
    rows = summaries.refresh()
    logger.info("figures_refresh: %d rows in %.1f s", rows, time.monotonic() - started)
    return rows


@shared_task(bind=True, max_retries=5)
def issued_report_render_pdf(self, report_id: int) -> None:
    """Render, sign and store an issued periodic report (safe to run twice)."""
    from django.conf import settings

    from dashboards.models import IssuedReport
    from dashboards.services import issued_report_store

    report = (
        IssuedReport.objects.select_related("area", "issuer", "issued_by", "register_entry__body")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return
    try:
        issued_report_store(report=report)
    except Exception as exc:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            logger.exception("PDF of report %s failed; left pending", report_id)
            return
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task
def issued_reports_render_pending() -> int:
    """Render every issued report still without its PDF; one failure does not stop the rest."""
    from dashboards.models import IssuedReport
    from dashboards.services import issued_report_store
    from registers.models import DocumentType, IssuedDocument

    entries = IssuedDocument.objects.filter(pdf_sha256="", entry__doc_type=DocumentType.REPORT).values_list(
        "entry_id", flat=True
    )
    rendered = 0
    reports = IssuedReport.objects.filter(register_entry_id__in=list(entries)).select_related(
        "area", "issuer", "issued_by", "register_entry__body"
    )
    for report in reports:
        try:
            issued_report_store(report=report)
        except Exception:
            logger.exception("PDF of report %s failed; left pending", report.pk)
        else:
            rendered += 1
    return rendered
