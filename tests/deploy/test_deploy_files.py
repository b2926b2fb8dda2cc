"""The deployment files say what docs/DEPLOY.md says: gunicorn's workers follow the cores, the
compose file has one beat, a persistent broker, a cache apart, shared object storage and TLS."""

import runpy
from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parents[2]


def gunicorn_settings(monkeypatch, **environment) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "GUNICORN_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_DIR / "config" / "gunicorn.py"))


def test_gunicorn_workers_follow_the_cores(monkeypatch):
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 4)
    settings = gunicorn_settings(monkeypatch)
    assert settings["workers"] == 9 and settings["timeout"] == 60
    assert "request_id=%({x-request-id}o)s" in settings["access_log_format"]
    assert settings["control_socket_disable"] is True
    assert gunicorn_settings(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3
    assert gunicorn_settings(monkeypatch, WEB_CONCURRENCY="")["workers"] == 9  # empty: the default


def test_compose_has_one_beat_a_persistent_broker_and_a_cache_apart():
    services = yaml.safe_load((BASE_DIR / "deploy" / "compose.yaml").read_text())["services"]
    assert {"web", "worker", "beat", "postgres", "redis-broker", "redis-cache", "objects", "proxy"} <= set(
        services
    )
    assert services["beat"]["deploy"]["replicas"] == 1
    broker = services["redis-broker"]["command"]
    assert broker[broker.index("--appendonly") + 1] == "yes"
    cache = services["redis-cache"]["command"]
    assert cache[cache.index("--maxmemory-policy") + 1] == "allkeys-lru"
    web = services["web"]["environment"]
    assert web["CACHE_URL"] != web["CELERY_BROKER_URL"] and web["S3_ENDPOINT_URL"]
    assert "443:443" in services["proxy"]["ports"]


def test_the_production_environment_is_explained_line_by_line():
    """Every variable, or the group of variables it belongs to, has a comment just above it."""
    previous = ""
    for line in (BASE_DIR / "deploy" / "env.production").read_text().splitlines():
        if line and not line.startswith("#"):
            assert previous != "", f"{line}: no explanation above it"
        previous = line
