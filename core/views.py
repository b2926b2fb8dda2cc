from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from core import health


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
