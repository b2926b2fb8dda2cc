"""What /healthz reports besides the database and the broker: whether a Celery worker
answers, and when the beat last sent a task.

Both are marks in the broker's Redis (it is persistent and every host reaches it): each
worker writes its heartbeat time (Celery's worker heartbeat, every 2 s) and the beat writes
the time of every task it sends. /healthz reads two keys: no broadcast to the workers, no
waiting, so the proxy can ask it every few seconds.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache

import redis
from celery.signals import beat_init, before_task_publish, heartbeat_sent
from django.conf import settings

logger = logging.getLogger(__name__)

WORKER_KEY = "doithoai:health:worker-seen"
BEAT_KEY = "doithoai:health:beat-sent"
# A worker not heard from for this long is not answering (heartbeats come every 2 s).
WORKER_SILENCE_SECONDS = 30
_is_beat = False


def broker_redis() -> redis.Redis | None:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    return _client(url)


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    """One connection pool per process: a worker marks its heartbeat every 2 s."""
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, retry=None)


def _mark(key: str) -> None:
    client = broker_redis()
    if client is None:
        return
    try:
        client.set(key, f"{time.time():.3f}")
    except redis.RedisError:
        logger.warning("Could not write the health mark %s to the broker", key)


@heartbeat_sent.connect
def _worker_heartbeat(sender=None, **kwargs) -> None:
    _mark(WORKER_KEY)


@beat_init.connect
def _beat_started(sender=None, **kwargs) -> None:
    global _is_beat
    _is_beat = True
    _mark(BEAT_KEY)


@before_task_publish.connect
def _beat_sent(sender=None, **kwargs) -> None:
    if _is_beat:
        _mark(BEAT_KEY)


def marks() -> dict:
    """{"worker": True/False/None, "beat_last_ran": ISO time or None}; None: no broker."""
    client = broker_redis()
    if client is None:
        return {"worker": None, "beat_last_ran": None}
    try:
        worker_seen, beat_sent = client.mget(WORKER_KEY, BEAT_KEY)
    except redis.RedisError:
        return {"worker": False, "beat_last_ran": None}
    now = time.time()
    worker = worker_seen is not None and now - float(worker_seen) < WORKER_SILENCE_SECONDS
    return {"worker": worker, "beat_last_ran": _iso(float(beat_sent)) if beat_sent else None}


def _iso(timestamp: float) -> str:
    from datetime import UTC, datetime

    from django.utils import timezone

    return timezone.localtime(datetime.fromtimestamp(timestamp, tz=UTC)).isoformat(timespec="seconds")
