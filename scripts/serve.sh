#!/usr/bin/env bash
# `make run`'s server: the web server alone, or, when REDIS_URL is set, a Celery worker with
# an embedded beat beside it. Ctrl-C stops them all together.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

if [ -n "${REDIS_URL:-}" ]; then
  trap 'kill 0' EXIT INT TERM
  .venv/bin/celery -A config worker --beat --loglevel=INFO --concurrency=2 \
    --schedule=var/celerybeat-schedule &
  echo "Celery worker + beat started (broker: $REDIS_URL)."
else
  echo "No REDIS_URL: Celery tasks run in-process."
fi
echo "Serving at http://127.0.0.1:8000 — Ctrl-C to stop."
$PY manage.py runserver 127.0.0.1:8000
