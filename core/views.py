from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
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


def page_not_found(request: HttpRequest, exception: Exception):
    """Django's 404 page; for a stored file that is missing, it says so (core/files.py)."""
    if isinstance(exception, StoredFileMissingError):
        return render(request, "404.html", {"missing_file": str(exception)}, status=404)
    return defaults.page_not_found(request, exception)
