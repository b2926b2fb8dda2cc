"""What every benchmark script shares: Django set up on the benchmark database under
production-like settings (DEBUG off, so Django keeps no query log), and timing helpers.

The benchmark database is `BENCH_DATABASE_URL` (default: a `doithoai_bench` database on the
local PostgreSQL), never the development or test database: `make bench` fills it once with
`seed_demo --scale` and reuses it afterwards.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/doithoai_bench"


def setup_django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"  # DEBUG keeps every query in memory: not what a server does
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SECURE_COOKIES", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    # Mail is built down to its bytes, as for SMTP, and dropped (bench/mail_backend.py).
    settings.EMAIL_BACKEND = "mail_backend.SerializeAndDropBackend"


@dataclass
class Measure:
    name: str
    budget_ms: float
    median_ms: float
    max_ms: float
    queries: int | None = None
    note: str = ""

    @property
    def within_budget(self) -> bool:
        return self.median_ms <= self.budget_ms


def timed(function: Callable[[], object], *, warmup: int = 2, runs: int = 7) -> tuple[float, float]:
    """(median, max) in milliseconds of `runs` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings)


class QueryCounter:
    """Counts the SQL statements run inside it, keeping none of them (CaptureQueriesContext
    keeps every statement's text: megabytes over a sweep, which would distort its memory)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> QueryCounter:
        from django.db import connection

        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._wrapper.__exit__(*exc)


def count_queries(function: Callable[[], object]) -> int:
    with QueryCounter() as counter:
        function()
    return counter.count


def emit(measures: list[Measure]) -> None:
    """Machine-readable results for bench/run.py, on stdout."""
    print(json.dumps([asdict(measure) for measure in measures], ensure_ascii=False))
