import time

import pytest

from core import health


@pytest.fixture
def broker(settings):
    client = health.broker_redis()
    client.delete(health.WORKER_KEY, health.BEAT_KEY)
    yield client
    client.delete(health.WORKER_KEY, health.BEAT_KEY)


@pytest.mark.django_db
def test_health_with_real_database_and_broker(client, broker):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "database": True,
        "broker": True,
        "worker": False,
        "beat_last_ran": None,
    }


@pytest.mark.django_db
def test_health_reports_a_live_worker_and_the_beat(client, broker):
    health._worker_heartbeat()  # what a worker's heartbeat signal does every 2 s
    health._mark(health.BEAT_KEY)  # what the beat does when it starts and sends a task
    body = client.get("/healthz").json()
    assert body["worker"] is True
    assert body["beat_last_ran"].startswith(time.strftime("%Y-"))
    broker.set(health.WORKER_KEY, f"{time.time() - health.WORKER_SILENCE_SECONDS - 1}")
    assert client.get("/healthz").json()["worker"] is False  # silent too long


@pytest.mark.django_db
def test_health_reports_a_broker_that_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] is False
