"""`check --deploy` says what production on several processes and hosts needs."""

from core import checks


def test_production_without_a_shared_cache_fails_the_deploy_check(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert checks.shared_cache(None) == [checks.NO_SHARED_CACHE]
    settings.CACHES = {
        "default": {"BACKEND": "core.cache.FaultTolerantRedisCache", "LOCATION": "redis://r/0"}
    }
    settings.CELERY_BROKER_URL = "redis://r/1"
    assert checks.shared_cache(None) == []
    settings.CELERY_BROKER_URL = "redis://r/0"
    assert checks.shared_cache(None) == [checks.CACHE_IS_BROKER]


def test_several_hosts_need_shared_files(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.WEB_HOSTS, settings.MEDIA_ROOT_SHARED = 1, False
    assert checks.shared_files(None) == []
    settings.WEB_HOSTS = 2
    assert checks.shared_files(None) == [checks.LOCAL_FILES_ON_MANY_HOSTS]
    settings.MEDIA_ROOT_SHARED = True
    assert checks.shared_files(None) == []
    settings.MEDIA_ROOT_SHARED = False
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}
    assert checks.shared_files(None) == []


def test_the_settings_default_to_separate_cache_and_broker_databases():
    from config.settings import _next_redis_database

    assert _next_redis_database("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/1"
    assert _next_redis_database("redis://:secret@cache:6379") == "redis://:secret@cache:6379/1"
