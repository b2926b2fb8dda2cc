"""Loaded before Django reads its settings (`-p tests.parallel` in pyproject's addopts).

Under pytest-xdist (`make test` runs two workers) each worker process has its own test
database (pytest-django adds `_gw0`, `_gw1` to its name) and must have its own Redis
databases too: the tests empty the cache, count rate limits and run a real Celery worker on
the broker. REDIS_URL's database N is the cache and N+1 the broker (config/settings.py), so
worker k uses N+2k and N+2k+1. Set before the settings are imported: xdist names the worker
in PYTEST_XDIST_WORKER before the worker's pytest starts. A run without xdist is untouched.
"""

import os
import re

worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if worker.startswith("gw") and os.environ.get("REDIS_URL"):
    found = re.fullmatch(r"(redis://[^/]*)(?:/(\d+))?/?", os.environ["REDIS_URL"])
    if found is None:
        raise RuntimeError("REDIS_URL must be redis://host:port/N to run the tests in parallel")
    database = int(found.group(2) or 0) + 2 * int(worker[2:])
    os.environ["REDIS_URL"] = f"{found.group(1)}/{database}"
