from django.conf import settings
from django.contrib.contenttypes import views as contenttype_views
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from core import health
from core.files import StoredFileMissingError


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 — any failure means "not healthy"
        return False


def _broker_ok() -> bool | None:
    """None when no broker is configured (tasks run in-process)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    client = health.broker_redis()
    if client is None:
        return None
    import redis

    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database and broker answer. Whether a
    worker answers and when the beat last ran are reported but do not fail this host: a web
    host taken out of the pool because a worker died would help no one."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(value is not False for value in checks.values())
    background = health.marks() if checks["broker"] else {"worker": None, "beat_last_ran": None}
    return JsonResponse({"ok": healthy, **checks, **background}, status=200 if healthy else 503)


# --- errors ------------------------------------------------------------------------------
# Under /api/ every answer is JSON, also when no URL pattern matched (an id that is not a
# number) or a view failed: a client reads `detail`, never the site's HTML page.

API_PREFIX = "/api/"


def _api_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def page_not_found(request: HttpRequest, exception=None):
    """JSON under /api/; for a stored file that is missing, the page says so (core/files.py)."""
    missing_file = isinstance(exception, StoredFileMissingError)
    if request.path.startswith(API_PREFIX):
        return _api_error(404, str(exception) if missing_file else str(_("Không tìm thấy.")))
    if missing_file:
        return render(request, "404.html", {"missing_file": str(exception)}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest):
    if request.path.startswith(API_PREFIX):
        return _api_error(500, str(_("Lỗi hệ thống.")))
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(400, str(_("Yêu cầu không hợp lệ.")))
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(403, str(exception or _("Bạn không có quyền làm việc này.")))
    return defaults.permission_denied(request, exception)


def admin_view_on_site(request: HttpRequest, content_type_id: int, object_id: str):
    """The admin's "view on site" redirect, with an id its model cannot read (a number for a
    UUID key) answered 404: Django's own view lets that ValidationError through as a 500."""
    try:
        return contenttype_views.shortcut(request, content_type_id, object_id)
    except ValidationError as error:
        raise Http404(_("Không tìm thấy.")) from error
