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
