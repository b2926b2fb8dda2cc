from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Theo dõi, giám sát và báo cáo")

    def ready(self) -> None:
        from dashboards import panels  # noqa: F401 — remarks on a conference's page, home summaries
