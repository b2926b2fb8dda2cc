"""`manage.py check --deploy`: what production on one host or many needs (docs/DEPLOY.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

NO_SHARED_CACHE = Error(
    "No shared cache: CACHE_URL (or REDIS_URL) is not set, so each web process keeps its own "
    "count of public tracking lookups and the limit multiplies by the number of processes and hosts.",
    hint="Set REDIS_URL (or CACHE_URL) to a Redis every web process reaches.",
    id="core.E001",
)
CACHE_IS_BROKER = Warning(
    "The cache and the Celery broker use the same Redis database: flushing or evicting the cache "
    "would lose queued tasks.",
    hint="Leave CELERY_BROKER_URL unset (the next database is used) or point it elsewhere.",
    id="core.W002",
)
LOCAL_FILES_ON_MANY_HOSTS = Error(
    "WEB_HOSTS > 1 but stored files are on this host's disk (MEDIA_ROOT): a PDF rendered on one "
    "host would be missing on the others.",
    hint="Set S3_BUCKET (an S3-compatible object store), or mount one shared MEDIA_ROOT on every "
    "host and set MEDIA_ROOT_SHARED=1.",
    id="core.E003",
)


def _is_redis_cache() -> bool:
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs) -> list:
    if settings.DEBUG:
        return []
    problems = []
    if not _is_redis_cache():
        problems.append(NO_SHARED_CACHE)
    elif settings.CACHES["default"]["LOCATION"] == settings.CELERY_BROKER_URL:
        problems.append(CACHE_IS_BROKER)
    return problems


@register(Tags.files, deploy=True)
def shared_files(app_configs, **kwargs) -> list:
    local = settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
    if settings.WEB_HOSTS > 1 and local and not settings.MEDIA_ROOT_SHARED:
        return [LOCAL_FILES_ON_MANY_HOSTS]
    return []
