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


def requirement_names(path: Path) -> set[str]:
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return {line.split("==")[0].split("[")[0].lower() for line in lines if line and not line.startswith("-")}


def test_the_production_image_installs_the_runtime_without_the_test_tools():
    """The Dockerfile installs requirements.txt alone; `make venv`/`make test`/CI install
    requirements-dev.txt, which adds the test and lint tools on top of it."""
    dockerfile = (BASE_DIR / "deploy" / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    assert "-r requirements-dev.txt" not in dockerfile
    runtime = requirement_names(BASE_DIR / "requirements.txt")
    dev_file = BASE_DIR / "requirements-dev.txt"
    tools = requirement_names(dev_file)
    assert {"django", "celery", "weasyprint", "gunicorn"} <= runtime
    assert {"pytest", "pytest-django", "factory_boy", "playwright", "ruff", "moto"} <= tools
    assert runtime.isdisjoint(tools)
    assert "-r requirements.txt" in dev_file.read_text().splitlines()
    assert "-r requirements-dev.txt" in (BASE_DIR / "Makefile").read_text()
