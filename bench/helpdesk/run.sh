#!/usr/bin/env bash
# Reference-peer benchmark: django-helpdesk's staff ticket list and dashboard over 100,000 tickets.
#
#   bash bench/helpdesk/run.sh        (from anywhere; `make bench` calls it)
#
# Creates bench/helpdesk/.venv if missing (or if requirements.txt changed), creates the database
# of HELPDESK_DATABASE_URL if missing, migrates, loads the tickets (idempotent) and measures.
# Prints ONE JSON object on stdout and nothing else; every log line goes to stderr.
# Needs Python 3.10+, PyPI for the first install, and PostgreSQL (default
# postgres://postgres@127.0.0.1:5432/helpdesk_bench). It never touches the product's .venv or databases.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
PY="$VENV/bin/python"
PYTHON="${PYTHON:-python3}"
export HELPDESK_DATABASE_URL="${HELPDESK_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/helpdesk_bench}"
export DJANGO_SETTINGS_MODULE=project.settings
export PYTHONDONTWRITEBYTECODE=1
unset VIRTUAL_ENV PYTHONHOME

exec 3>&1 1>&2 # keep the real stdout for the JSON; everything else goes to stderr
log() { echo "[helpdesk run] $*"; }
start=$(date +%s)

# 1. The bench's own virtualenv, reinstalled when requirements.txt changes.
stamp="$VENV/.requirements.sha256"
want=$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)
if [ ! -x "$PY" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "django-helpdesk needs Python 3.10+")'
    [ -x "$PY" ] || { log "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
    log "installing requirements.txt"
    "$PY" -m pip install --disable-pip-version-check -q -r "$HERE/requirements.txt"
    echo "$want" >"$stamp"
fi

# 2. The database, created if missing (with psycopg, so no PostgreSQL client tools are needed).
"$PY" - <<'EOF'
import os, sys
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql

url = urlsplit(os.environ["HELPDESK_DATABASE_URL"])
name = unquote(url.path.lstrip("/")) or "helpdesk_bench"
conninfo = dict(
    host=url.hostname or "127.0.0.1", port=url.port or 5432,
    user=unquote(url.username or "postgres"), password=unquote(url.password or "") or None,
    dbname="postgres", connect_timeout=5,
)
try:
    conn = psycopg.connect(**conninfo, autocommit=True)
except psycopg.OperationalError as exc:
    sys.exit(f"[helpdesk run] PostgreSQL is not answering at {conninfo['host']}:{conninfo['port']}: {exc}")
with conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        print(f"[helpdesk run] creating database {name}", file=sys.stderr)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
EOF

# 3. Schema, data, measurement.
cd "$HERE"
"$PY" manage.py migrate --no-input -v0
"$PY" load.py
"$PY" measure.py >&3
log "done in $(($(date +%s) - start)) s"
