from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as account_views
from core import views as core_views

admin.site.site_header = _("Đối thoại – Quản trị hệ thống")
admin.site.site_title = _("Đối thoại")
admin.site.index_title = _("Quản trị")

urlpatterns = [
    path("", account_views.home, name="home"),
    path("tai-khoan/", include("accounts.urls")),
    path("hoi-nghi/", include("dialogue.urls")),
    path("y-kien/", include("petitions.urls")),
    path("tin-nhan/", include("messaging.urls")),
    path("ket-luan/", include("conclusions.urls")),
    path("so-van-ban-di/", include("registers.urls")),
    path("theo-doi/", include("dashboards.urls")),
    path("cong-khai/", include("public_pages.urls")),
    path("api/", include("config.api_urls")),
    # Before the admin's own route of the same path: see core.views.admin_view_on_site.
    path(
        "quan-tri/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(core_views.admin_view_on_site),
    ),
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
]
# Uploaded files are never served from MEDIA_URL, not even in DEBUG: every download goes
# through a view that checks the user's scope.

# JSON under /api/, the site's pages elsewhere (core.views); a stored file that is missing
# says so on its 404 page (core/files.py).
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
