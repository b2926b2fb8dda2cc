"""Issue 20, failure 2: with the cache's Redis gone, pages answered 500. The cache is an
optimisation: pages compute and answer, the outage is logged, and the public lookup limit
falls back to counting per process (public_pages/views.py states the policy)."""

import logging

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.cache import CacheUnavailableError, FaultTolerantRedisCache
from public_pages import views as public_views
from tests.conftest import login
from tests.dashboards.boards_data import build
from tests.petitions.written_helpers import clerk_of, letter

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def cache_down(settings, monkeypatch):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FaultTolerantRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry": None},
        }
    }
    settings.DASHBOARD_CACHE_SECONDS = 600  # the cached figures are asked for
    monkeypatch.setattr(FaultTolerantRedisCache, "_down_until", 0.0)
    monkeypatch.setattr(FaultTolerantRedisCache, "_logged_at", 0.0)
    monkeypatch.setattr(public_views, "_local_counts", public_views.LocMemCache("test-fallback", {}))


def test_pages_answer_without_the_cache(city, cache_down, caplog):
    boards = build(city)
    monitor = login(boards.users["city_monitor"])
    with caplog.at_level(logging.ERROR, logger="core.cache"):
        for url in (
            reverse("home"),
            reverse("dialogue:list"),
            reverse("dashboards:supervision"),
            reverse("dashboards:home_supervision"),
        ):
            assert monitor.get(url).status_code == 200, url
    assert "Cache Redis unavailable" in caplog.text
    assert caplog.text.count("Cache Redis unavailable") == 1  # logged once a minute, not per call


def test_counting_calls_say_the_cache_is_down(cache_down):
    assert cache.get("anything", "default") == "default"
    cache.set("anything", 1)  # dropped, no error
    with pytest.raises(CacheUnavailableError):
        cache.add("anything", 1)
    with pytest.raises(CacheUnavailableError):
        cache.incr("anything")


def test_public_lookup_answers_and_is_still_limited_per_process(ward, cache_down, monkeypatch):
    monkeypatch.setattr(public_views, "TRACKING_LIMIT", 3)
    petition = letter(ward, clerk_of(ward))
    citizen = Client(REMOTE_ADDR="203.0.113.7")
    track = reverse("public:track")
    assert [citizen.get(track, {"ma": petition.tracking_code}).status_code for _ in range(3)] == [200] * 3
    assert citizen.get(track, {"ma": petition.tracking_code}).status_code == 429
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert other.get(track, {"ma": petition.tracking_code}).status_code == 200


def test_the_cache_is_used_again_when_it_comes_back(cache_down, settings, monkeypatch):
    cache.get("key")  # fails: Redis is marked down for a few seconds
    assert not cache._usable()
    monkeypatch.setattr(FaultTolerantRedisCache, "_down_until", 0.0)  # the pause is over
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": settings.REDIS_URL}
    }  # Redis answers again
    cache.set("issue-20-back", "yes", 5)
    assert cache.get("issue-20-back") == "yes"
    cache.delete("issue-20-back")
