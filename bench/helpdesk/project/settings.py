"""Minimal Django project hosting django-helpdesk for the reference-peer benchmark.

Bench-only: lives in bench/helpdesk/.venv, never imported by the product. The database comes from
HELPDESK_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/helpdesk_bench).
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "helpdesk-bench-not-secret"
DEBUG = os.environ.get("HELPDESK_DEBUG") == "1"  # off: the bench measures production-like rendering
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",  # helpdesk: domain for links in e-mails
    "django.contrib.humanize",  # helpdesk: elapsed-time formatting
    "rest_framework",  # helpdesk: API and the datatables JSON endpoint
    "django_cleanup.apps.CleanupConfig",
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "project.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = None


def _database_from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ValueError(f"HELPDESK_DATABASE_URL must be a postgres:// URL, not {parts.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "helpdesk_bench",
        "USER": unquote(parts.username or "postgres"),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": str(parts.port or 5432),
        "CONN_MAX_AGE": None,  # one persistent connection, like a warm worker
    }


DATABASE_URL = os.environ.get("HELPDESK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_bench")
DATABASES = {"default": _database_from_url(DATABASE_URL)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

SITE_ID = 1

LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:home"

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Teams mode (helpdesk's default) needs pinax-teams, django-user-accounts and django-reversion;
# pinax-teams is unmaintained and is an optional extra (django-helpdesk[teams]). The ticket list
# and dashboard do the same work without it (teams only narrow the dashboard's unassigned
# tickets by knowledge-base item), so the bench runs with it off and the knowledge base on.
HELPDESK_TEAMS_MODE_ENABLED = False
HELPDESK_KB_ENABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
