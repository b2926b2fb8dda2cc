"""Celery tasks of the dashboards app. The export runner lives in core (core/exports.py) and
its exporters here (dashboards/report_xlsx.py); importing both from this module, which the
worker's autodiscovery loads, registers `core.exports.export_run` and
`core.exports.exports_cleanup` with every worker."""

from core.exports import export_run, exports_cleanup
from dashboards import report_xlsx

__all__ = ["export_run", "exports_cleanup", "report_xlsx"]
