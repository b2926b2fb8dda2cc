"""gunicorn's settings for production (docs/DEPLOY.md): `gunicorn -c config/gunicorn.py`.

Every value can be changed through the environment, as the rest of the settings."""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"

# Sync workers: the pages are database-bound, short and few per second per office; one
# process per request keeps a slow PDF or export from holding the others. (2 × cores) + 1 is
# gunicorn's rule of thumb; WEB_CONCURRENCY overrides it (e.g. on a host shared with the worker).
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or "1")
# A request longer than this is killed and its worker replaced: the heaviest page (a national
# report) takes a few seconds; exports and PDFs are done by Celery, not in a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or "60")
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT") or "30")
keepalive = 5
# Workers are replaced after a number of requests: a slow leak cannot grow for weeks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or "2000")
max_requests_jitter = max_requests // 10

# One line per request, with the request id the application returns (core/requestlog.py).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or "-"
errorlog = "-"
access_log_format = (
    'request_id=%({x-request-id}o)s remote=%(h)s method=%(m)s path="%(U)s" query="%(q)s" '
    'status=%(s)s bytes=%(B)s duration_ms=%(M)s user_agent="%(a)s"'
)
# The proxy in front talks plain HTTP on a private address; Django reads X-Forwarded-Proto and
# X-Forwarded-For itself (BEHIND_TLS_PROXY, TRUSTED_PROXIES), so gunicorn is not asked to.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or "127.0.0.1"
# Temporary files of request bodies in memory, not on a disk that may be slow or full.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (
    "/dev/shm" if os.path.isdir("/dev/shm") else None
)
# gunicorn's control socket (gunicornc) is off unless GUNICORN_CONTROL_SOCKET names a path: its
# default path is one per machine, which two gunicorns on one host (the smoke test) would share.
_control_path = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not _control_path
if _control_path:
    control_socket = _control_path
