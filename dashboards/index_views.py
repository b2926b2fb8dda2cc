"""The index pages of the two sections the menu and the README name: /theo-doi/ (monitoring)
and /theo-doi/bao-cao/ (reports). Each lists the section's pages the user's roles may open,
with the same role lists as the pages themselves, so a link here never leads to a 403."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import ANY_ROLE, staff_required
from dashboards.report_views import REPORT_WRITERS
from dashboards.views import REVIEW_ROLES


@dataclass(frozen=True)
class SectionPage:
    url_name: str
    title: Promise
    description: Promise
    roles: tuple[Role, ...]

    def open_to(self, user) -> bool:
        return user.has_role(*self.roles)


MONITORING_PAGES = (
    SectionPage(
        "dashboards:overdue",
        _("Việc quá hạn và sắp đến hạn"),
        _("Theo cơ quan: quá hạn 1–7, 8–30, trên 30 ngày; quyết định gia hạn; nhắc cơ quan."),
        REVIEW_ROLES,
    ),
    SectionPage(
        "dashboards:supervision",
        _("Giám sát theo kỳ"),
        _("Hội nghị, ý kiến, việc được giao và kết quả giải quyết của một địa bàn trong một kỳ."),
        ANY_ROLE,
    ),
)
REPORT_PAGES = (
    SectionPage(
        "dashboards:statistics",
        _("Thống kê"),
        _("Số liệu theo cấp cho một địa bàn và một kỳ: trang, Excel và PDF."),
        ANY_ROLE,
    ),
    SectionPage(
        "dashboards:periodic_report",
        _("Báo cáo định kỳ"),
        _("Báo cáo gửi Mặt trận Tổ quốc dưới dạng văn bản PDF."),
        REPORT_WRITERS,
    ),
    SectionPage(
        "dashboards:exports",
        _("Tệp xuất của tôi"),
        _("Các tệp Excel lớn được tạo ở chế độ nền."),
        ANY_ROLE,
    ),
)


def _section(request: HttpRequest, title, pages, nav_active: str) -> HttpResponse:
    links = [
        {"url": reverse(page.url_name), "title": page.title, "description": page.description}
        for page in pages
        if page.open_to(request.user)
    ]
    return render(
        request, "dashboards/section_index.html", {"title": title, "links": links, "nav_active": nav_active}
    )


@staff_required
def monitoring_index(request: HttpRequest) -> HttpResponse:
    return _section(request, _("Theo dõi"), MONITORING_PAGES, "boards")


@staff_required
def reports_index(request: HttpRequest) -> HttpResponse:
    return _section(request, _("Báo cáo"), REPORT_PAGES, "reports")
