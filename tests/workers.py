"""Real Celery worker processes for the tests that go through the Redis broker: each on a queue
of its own (so it never takes another engineer's tasks from a shared Redis), against the test
database, and stopped — with the queue's traces removed from the broker — when the test ends."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import redis
from django.conf import settings
from django.db import connection, connections

BASE_DIR = Path(__file__).resolve().parents[1]


def worker_database_url() -> str:
    """The test database, as the workers' DATABASE_URL."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def private_queue(name: str) -> str:
    return f"{name}-test-{uuid.uuid4().hex[:12]}"


@contextmanager
def celery_workers(queue: str, *, log_dir: Path, count: int = 1, **environment: str) -> Iterator[list[Path]]:
    """`count` solo-pool workers listening to `queue` only; yields their log files
    (worker.log, or worker0.log, worker1.log… for several). `environment` adds variables."""
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CONN_MAX_AGE": "0",
        **environment,
    }
    paths = [log_dir / ("worker.log" if count == 1 else f"worker{number}.log") for number in range(count)]
    logs, workers = [], []
    try:
        for number, path in enumerate(paths):
            log = path.open("w")
            logs.append(log)
            workers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
                     "-Q", queue, "-n", f"w{number}-{queue}@%h", "--without-gossip", "--without-mingle",
                     "--without-heartbeat", "-l", "info"],
                    cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                )
            )  # fmt: skip
        yield paths
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        for log in logs:
            log.close()
        connections.close_all()
        forget_queue(queue)


def forget_queue(queue: str) -> None:
    """The broker keeps a binding per queue name: leave no trace of this one."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete(queue, *broker.keys(f"_kombu.binding*{queue}"))
