"""The one settings module. Every value that differs between machines comes from the
environment (or a `.env` file beside manage.py); `.env.example` lists them all with defaults.

Safe by default: DEBUG is off unless set, and with DEBUG off every `check --deploy` setting
is on unless the environment explicitly relaxes it.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from core.net import parse_trusted_proxies

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on; production must set its own.
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-doithoai"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    # Our layers, in import order: each may import only those above it.
    "core",
    "accounts",
    "registers",
    "dialogue",
    "petitions",
    "messaging",
    "conclusions",
    "dashboards",
    "public_pages",
]

MIDDLEWARE = [
    # First: the request id is on every log line the request writes (core/requestlog.py).
    "core.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in answers are never cached (shared office PCs); it reads the user the
    # authentication above (or DRF's token authentication, in the view) set.
    "core.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Before any view reads the input: a NUL byte answers 400, never a database error (after
    # the user, messages and CSP, which the 400 page's layout uses).
    "core.middleware.RejectNulInputMiddleware",
    # Axes must be last: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# Widgets of the input family written in Python, byte for byte as Django's templates write
# them (~0.3 ms a field saved on every form and filter bar; core.forms.FormRenderer).
FORM_RENDERER = "core.forms.FormRenderer"

# --- Data -------------------------------------------------------------------------------
# No DATABASE_URL: SQLite in var/ so `make run` works on a machine with only Python.
if "DATABASE_URL" not in env:
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'doithoai.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Per-connection planner settings (PG_OPTIONS overrides them). JIT off: it compiled the
    # dashboards' aggregates for longer than they ran (393 ms of a 552 ms query). A random
    # page cost for SSDs: with the default (4, spinning disks) PostgreSQL read a million
    # assignments (188 ms) instead of the covering index of open ones (35 ms). No parallel
    # workers: starting one costs ~5 ms, more than it saves on a page's statements (a
    # province's overdue list sorted 1,600 rows in a parallel bitmap scan: 62 → 34 ms without),
    # and the web requests themselves are the parallel work of the host's cores (make bench:
    # every row as fast or faster but the statistics xlsx, within its budget; docs/PERFORMANCE.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options",
        env.str(
            "PG_OPTIONS", default="-c jit=off -c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"
        ),
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the cache and the Celery queue never share a database (a cache may be flushed or
# evicted; the queue must not). REDIS_URL alone gives the cache its database and the broker
# the next one (redis://host:6379/0 → cache 0, broker 1); CACHE_URL and CELERY_BROKER_URL
# set either apart, e.g. on two servers: the broker with persistence (appendonly), the cache
# without (docs/DEPLOY.md).
REDIS_URL = env.str("REDIS_URL", default="")


def _next_redis_database(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{database + 1}"))


CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
if CACHE_URL:
    # The cache is an optimisation: pages answer without it (core/cache.py). Short timeouts
    # and no retries, so that an outage costs a page milliseconds, not seconds.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FaultTolerantRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry": None},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -----------------------------------------------------------------------------
# Without Redis, tasks run in-process (eagerly) so the app works with no broker at all.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=_next_redis_database(REDIS_URL) if REDIS_URL else "")
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queuing a task from a request (a notice's PDF, an export, a message) with the broker down:
# kombu's default retries for 6 s per publish, so a leader issuing a notice waited 12 s for
# the page. Two quick retries (~0.5 s in all) ride out a blip; after that the caller's own
# fallback applies (the notice stays "PDF pending" for the sweep, tested). Workers reconnect
# by the broker_connection_* settings, which this does not change.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# The address of this site in links sent by mail (reminder digests).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Messages to citizens about their opinions (docs/MESSAGES.md). Each channel's backend:
# sms: off|console|file|http; zalo: off|console|file|zns; email: off|console|file|django.
# Nothing leaves the machine unless http, zns or django is chosen. `make run` (DEBUG) writes
# SMS and e-mails to files in MESSAGES_FILE_DIR.
_MESSAGE_BACKEND_CHOICES = {
    "sms": {"off", "console", "file", "http"},
    "zalo": {"off", "console", "file", "zns"},
    "email": {"off", "console", "file", "django"},
}
CITIZEN_MESSAGE_BACKENDS = {
    "sms": env.str("MESSAGES_SMS", default="file" if DEBUG else "off"),
    "zalo": env.str("MESSAGES_ZALO", default="off"),
    "email": env.str("MESSAGES_EMAIL", default="file" if DEBUG else "off"),
}
for _channel, _backend in CITIZEN_MESSAGE_BACKENDS.items():
    if _backend not in _MESSAGE_BACKEND_CHOICES[_channel]:
        raise ImproperlyConfigured(
            f"MESSAGES_{_channel.upper()}={_backend!r}: choose one of {sorted(_MESSAGE_BACKEND_CHOICES[_channel])}"
        )
MESSAGES_FILE_DIR = env.str("MESSAGES_FILE_DIR", default=str(BASE_DIR / "var" / "messages"))
MESSAGES_MAX_ATTEMPTS = env.int("MESSAGES_MAX_ATTEMPTS", default=5)
MESSAGES_RETRY_SECONDS = env.int("MESSAGES_RETRY_SECONDS", default=60)  # doubled at each retry
MESSAGES_DELIVERY_CHUNK = env.int("MESSAGES_DELIVERY_CHUNK", default=20)
MESSAGES_SENDING_LEASE = env.int("MESSAGES_SENDING_LEASE", default=600)
MESSAGES_HTTP_TIMEOUT = env.int("MESSAGES_HTTP_TIMEOUT", default=10)
MESSAGES_QUEUE = env.str("MESSAGES_QUEUE", default="celery")  # the Celery queue of deliveries
# A brand-name SMS gateway (MESSAGES_SMS=http): its URL, basic-auth credentials, brand name,
# and the JSON body it expects, with $phone (84…), $text, $brandname and $id filled in.
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_USER = env.str("SMS_GATEWAY_USER", default="")
SMS_GATEWAY_PASSWORD = env.str("SMS_GATEWAY_PASSWORD", default="")
SMS_GATEWAY_BRANDNAME = env.str("SMS_GATEWAY_BRANDNAME", default="")
SMS_GATEWAY_BODY = env.json(
    "SMS_GATEWAY_BODY",
    default={"to": "$phone", "from": "$brandname", "text": "$text", "request_id": "$id"},
)
SMS_GATEWAY_ERROR_FIELD = env.str("SMS_GATEWAY_ERROR_FIELD", default="")
# Zalo Notification Service (MESSAGES_ZALO=zns): the Official Account's access token and one
# approved template id per event ("received=123,assigned=124,...").
ZALO_ZNS_URL = env.str("ZALO_ZNS_URL", default="https://business.openapi.zalo.me/message/template")
ZALO_ZNS_ACCESS_TOKEN = env.str("ZALO_ZNS_ACCESS_TOKEN", default="")
ZALO_ZNS_TEMPLATES = env.dict("ZALO_ZNS_TEMPLATES", default={})
ZALO_ZNS_PARAM_LENGTH = env.int("ZALO_ZNS_PARAM_LENGTH", default=100)
if CITIZEN_MESSAGE_BACKENDS["sms"] == "http" and not SMS_GATEWAY_URL:
    raise ImproperlyConfigured("MESSAGES_SMS=http needs SMS_GATEWAY_URL")
if CITIZEN_MESSAGE_BACKENDS["zalo"] == "zns" and not (ZALO_ZNS_ACCESS_TOKEN and ZALO_ZNS_TEMPLATES):
    raise ImproperlyConfigured("MESSAGES_ZALO=zns needs ZALO_ZNS_ACCESS_TOKEN and ZALO_ZNS_TEMPLATES")
REMINDER_HOUR = env.int("REMINDER_HOUR", default=7)
REMINDER_MINUTE = env.int("REMINDER_MINUTE", default=0)
# Minutes between refreshes of the monthly summaries behind the whole country's dashboard
# (about 10 s of database work at national scale), and the age beyond which the dashboard
# no longer trusts them and computes live (docs/DASHBOARDS.md).
DASHBOARD_SUMMARY_MINUTES = env.int("DASHBOARD_SUMMARY_MINUTES", default=10)
DASHBOARD_SUMMARY_MAX_AGE = env.int("DASHBOARD_SUMMARY_MAX_AGE", default=3 * DASHBOARD_SUMMARY_MINUTES)
# Summaries older than that (the worker stopped) still serve for this many days, labelled
# with their time and completed by the days after them computed live; 0: compute live.
DASHBOARD_SUMMARY_STALE_DAYS = env.int("DASHBOARD_SUMMARY_STALE_DAYS", default=2)
CELERY_BEAT_SCHEDULE: dict = {
    # Every 5 minutes: PDFs of issued notices whose render task was lost or gave up.
    "notices-render-pending": {"task": "conclusions.tasks.notices_render_pending", "schedule": 300.0},
    # … and of the register's issued documents: transfer slips and extension decisions, periodic
    # reports (docs/DOCUMENTS.md).
    "transfer-slips-render-pending": {
        "task": "petitions.tasks.transfer_slips_render_pending",
        "schedule": 300.0,
    },
    # Working days at 07:00 (CELERY_TIMEZONE): deadline reminders and escalation. The task
    # skips public holidays itself. Exactly one beat may run (docs/REMINDERS.md).
    "reminders-send": {
        "task": "conclusions.tasks.reminders_send",
        "schedule": crontab(
            hour=REMINDER_HOUR,
            minute=REMINDER_MINUTE,
            day_of_week="mon-fri",
        ),
    },
    # Reminders a dead delivery left claimed (a worker killed mid-batch): sent by the others.
    "reminders-resume": {"task": "conclusions.tasks.reminders_resume_left", "schedule": 300.0},
    # Messages to citizens whose task was lost, or left half-sent by a killed worker.
    "messages-resume": {"task": "messaging.tasks.messages_resume_left", "schedule": 300.0},
    # Nightly: export files older than EXPORT_KEEP_DAYS are deleted, stalled jobs failed.
    "exports-cleanup": {"task": "core.exports.exports_cleanup", "schedule": crontab(hour=2, minute=30)},
    # Nightly: the one-time tokens of saved forms (core.once) older than FORM_SUBMISSION_KEEP_DAYS.
    "form-submissions-prune": {
        "task": "core.tasks.form_submissions_prune",
        "schedule": crontab(hour=2, minute=45),
    },
    # The monthly summaries of the national dashboard; also at 00:01, when "overdue" moves on.
    "figures-refresh": {
        "task": "dashboards.tasks.figures_refresh",
        "schedule": crontab(minute=f"*/{DASHBOARD_SUMMARY_MINUTES}"),
    },
    "figures-refresh-midnight": {
        "task": "dashboards.tasks.figures_refresh",
        "schedule": crontab(hour=0, minute=1),
    },
}
# The public tracking page: lookups by code allowed per client address per window (seconds),
# so that codes cannot be enumerated.
PUBLIC_TRACKING_LIMIT = env.int("PUBLIC_TRACKING_LIMIT", default=20)
PUBLIC_TRACKING_WINDOW = env.int("PUBLIC_TRACKING_WINDOW", default=600)
# Seconds a province's or the whole country's supervision figures are kept (0: never cached).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=600)
# How long a finished export (Excel, PDF) is kept for its owner to download.
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
# How long a saved form's one-time token is kept (core.once): a form sent again after this is
# saved as new. A browser's Back button does not reach back a month.
FORM_SUBMISSION_KEEP_DAYS = env.int("FORM_SUBMISSION_KEEP_DAYS", default=30)
# Export jobs one user may have queued or running at once (core.exports.export_start).
EXPORT_RUNNING_PER_USER = env.int("EXPORT_RUNNING_PER_USER", default=3)

# --- Accounts and authentication ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: lock the (username, IP) pair, not the IP alone, so a whole ward office
# behind one NAT address is not locked out by one person's typos.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The client's address through the trusted proxies only (core/net.py), for axes and the
# public lookup limit alike: a count of proxies in front ("1" for one nginx) or their
# addresses/networks ("10.0.0.5,10.0.1.0/24"); empty: REMOTE_ADDR, X-Forwarded-For ignored.
TRUSTED_PROXIES = parse_trusted_proxies(env.str("TRUSTED_PROXIES", default=""))
AXES_CLIENT_IP_CALLABLE = "core.net.axes_client_ip"
AXES_VERBOSE = False

# History is for reading: a "revert" from the admin's history page would bypass the services.
SIMPLE_HISTORY_REVERT_DISABLED = True

SESSION_COOKIE_AGE = 12 * 60 * 60  # one working day and an evening meeting
SESSION_COOKIE_HTTPONLY = True

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy in every language: our own formats override Django's locale defaults.
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static and media --------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Uploaded files go through Django's storage API: local media by default, an S3-compatible
# object store when S3_BUCKET is set (django-storages).
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY", default=""),
            "secret_key": env.str("S3_SECRET_KEY", default=""),
            "region_name": env.str("S3_REGION", default="") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Web or worker hosts of this site. More than one needs shared file storage (S3_BUCKET, or one
# MEDIA_ROOT mounted on every host and MEDIA_ROOT_SHARED=1): `check --deploy` fails otherwise.
WEB_HOSTS = env.int("WEB_HOSTS", default=1)
MEDIA_ROOT_SHARED = env.bool("MEDIA_ROOT_SHARED", default=False)
STORAGES = {
    "default": _default_storage,
    # Vendored files carry their version in the file name, so no manifest is needed.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Mail --------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Đối thoại <no-reply@doithoai.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ----------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline scripts or styles anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Logging -----------------------------------------------------------------------------
# One line per request is gunicorn's access log (config/gunicorn.py), with the request id;
# every other line carries the id of the request that wrote it. 403/404 are not logged again
# by Django (with a traceback): the access line has them. LOG_FORMAT=json for a collector.
_LOG_FORMATS = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    "json": {
        "format": '{"time": "%(asctime)s", "level": "%(levelname)s", "logger": "%(name)s", '
        '"request_id": "%(request_id)s", "message": %(message_json)s}',
        "()": "core.requestlog.JsonFormatter",
    },
}
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.requestlog.RequestIdFilter"},
        "skip_client_errors": {"()": "core.requestlog.SkipClientErrors"},
    },
    "formatters": {"default": _LOG_FORMATS[LOG_FORMAT]},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "default", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint and fontTools narrate every rendering step at INFO.
        **{name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
        "django.request": {"filters": ["skip_client_errors"]},
    },
}

# --- API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an anonymous call or a bad token answers 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Bounded counts, page numbers for the first pages, a keyset cursor beyond (core.pagination).
    "DEFAULT_PAGINATION_CLASS": "core.pagination.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Đối thoại API",
    "DESCRIPTION": "Hội nghị đối thoại, ý kiến và kiến nghị của Nhân dân. Same scoping as the web pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs describe the whole API: for signed-in users only (session or
    # token); an anonymous call answers 401 like every other part of the API.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every operation's 400/401/403/404 in the schema, written once (config/api_schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api_schema.document_error_responses",
    ],
    # Swagger UI's files come from drf-spectacular-sidecar: no CDN on closed networks.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Product settings --------------------------------------------------------------------
# Attachments: at most this size, and only these types (checked by extension and content).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=20) * 1024 * 1024
# The password every demo user gets from `seed_demo`. Demo only: never used outside it.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="doithoai-demo-2026")

# --- Digital signatures of issued documents (core/signing.py, docs/SIGNING.md) -------------
# "" issues documents unsigned (and says so); "pkcs12" signs with key files; "pkcs11" with a
# USB token or an HSM; "demo" with the demo certificates `seed_demo` makes under var/ (DEBUG
# only: they have no legal value). Not "SIGNING_BACKEND": Django's cookie signing owns that name.
DOCUMENT_SIGNING_BACKEND = env.str("DOCUMENT_SIGNING_BACKEND", default="")
SIGNING_DEMO_DIR = BASE_DIR / "var" / "demo-signing"
# Per role: the signer's own signature (người có thẩm quyền) and the body's, its seal
# (cơ quan, tổ chức). A role left empty is not signed.
SIGNING_ROLES = {
    "person": {
        "PKCS12_PATH": env.str("SIGNING_PERSON_PKCS12_PATH", default=""),
        "PKCS12_PASSWORD": env.str("SIGNING_PERSON_PKCS12_PASSWORD", default=""),
        "KEY_LABEL": env.str("SIGNING_PERSON_KEY_LABEL", default=""),
        "CERT_LABEL": env.str("SIGNING_PERSON_CERT_LABEL", default=""),
        # Decree 30/2020, Phụ lục I: the image of the handwritten signature, blue, PNG with a
        # transparent background.
        "IMAGE": env.str("SIGNING_PERSON_IMAGE", default=""),
    },
    "seal": {
        "PKCS12_PATH": env.str("SIGNING_SEAL_PKCS12_PATH", default=""),
        "PKCS12_PASSWORD": env.str("SIGNING_SEAL_PKCS12_PASSWORD", default=""),
        "KEY_LABEL": env.str("SIGNING_SEAL_KEY_LABEL", default=""),
        "CERT_LABEL": env.str("SIGNING_SEAL_CERT_LABEL", default=""),
        # The image of the body's seal, red, at the seal's real size, PNG, transparent.
        "IMAGE": env.str("SIGNING_SEAL_IMAGE", default=""),
    },
}
SIGNING_PKCS11_MODULE = env.str("SIGNING_PKCS11_MODULE", default="")
SIGNING_PKCS11_TOKEN_LABEL = env.str("SIGNING_PKCS11_TOKEN_LABEL", default="")
SIGNING_PKCS11_PIN = env.str("SIGNING_PKCS11_PIN", default="")
# A RFC 3161 timestamp authority; empty: the signing time is the server's clock.
SIGNING_TSA_URL = env.str("SIGNING_TSA_URL", default="")
# PEM or DER files of the roots signatures are validated against (the government CA's).
SIGNING_TRUST_ROOTS = env.list("SIGNING_TRUST_ROOTS", default=[])
# The seal image's diameter on the page: the real seal's size (data: a body's seal is made to
# its own size; 36 mm is a common one, not checked against the seal rules).
SIGNING_SEAL_SIZE_MM = env.float("SIGNING_SEAL_SIZE_MM", default=36.0)
# Public check of a file against an issued document (/cong-khai/van-ban/<code>/).
VERIFY_UPLOAD_MAX_BYTES = env.int("VERIFY_UPLOAD_MAX_MB", default=20) * 1024 * 1024
if DOCUMENT_SIGNING_BACKEND not in {"", "pkcs12", "pkcs11", "demo"}:
    raise ImproperlyConfigured("DOCUMENT_SIGNING_BACKEND must be empty, pkcs12, pkcs11 or demo.")
if DOCUMENT_SIGNING_BACKEND == "demo" and not DEBUG:
    raise ImproperlyConfigured(
        "DOCUMENT_SIGNING_BACKEND=demo signs with certificates of no legal value: DEBUG only."
    )
