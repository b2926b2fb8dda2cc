"""The dashboards app's pages: the boards (leader's overdue review, monitor's supervision,
remarks) and the reports (statistics, periodic report, exports) live in two modules."""

from dashboards.urls_boards import urlpatterns as board_urlpatterns
from dashboards.urls_reports import urlpatterns as report_urlpatterns

app_name = "dashboards"

urlpatterns = board_urlpatterns + report_urlpatterns
