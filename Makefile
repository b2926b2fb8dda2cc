# The README's two commands: `make run` and `make test`. Both create or reuse .venv.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The runtime (requirements.txt) and, on top, the tests and lint (requirements-dev.txt): a local
# .venv has both; the production image installs the runtime alone (deploy/Dockerfile).
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-12)

# Local runs are development runs unless the environment says otherwise.
export DEBUG ?= 1
# `make run` signs issued documents with demo certificates made under var/demo-signing/
# (docs/SIGNING.md); `make test` and production set their own (empty: unsigned).
run: export DOCUMENT_SIGNING_BACKEND ?= demo

.PHONY: run test venv lint format messages bench prod-smoke

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

run: venv
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	bash scripts/serve.sh

# Tests always run on PostgreSQL and Redis (defaults below), never on SQLite.
test: export DEBUG = 0
# The test servers (client and live server) speak plain HTTP.
test: export SECURE_SSL_REDIRECT = 0
test: export SECURE_COOKIES = 0
test: export SECRET_KEY ?= test-only-secret-key-not-for-production-0123456789abcdef
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/doithoai
test: export REDIS_URL ?= redis://127.0.0.1:6379/0
# In parallel on the machine's cores (pytest-xdist; each worker its own test database and
# Redis databases, tests/parallel.py), the 15 slowest tests listed at the end.
# PYTEST_WORKERS=0 runs them in one process.
test: PYTEST_WORKERS ?= auto
# Compiled files are written and reused, also where the machine says not to (CI sets
# PYTHONDONTWRITEBYTECODE): otherwise every process compiles the project again and pytest
# rewrites the assertions of the tests and of its plugins' packages again (faker, hypothesis,
# schemathesis: ~450 modules) — the controller, each worker and each Celery worker a test
# starts; about 4 s of a worker's start.
test: export PYTHONDONTWRITEBYTECODE =
test: venv
	$(PY) scripts/check_services.py
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=15 $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Needs GNU gettext (apt-get install gettext); the compiled .mo files are committed.
messages: venv
	$(PY) manage.py makemessages -l en --no-obsolete
	$(PY) manage.py compilemessages -l en

# Benchmarks at national scale on their own database (BENCH_DATABASE_URL, default doithoai_bench),
# filled once by seed_demo --scale 1; prints one table of measures against the budgets.
bench: venv
	$(PY) bench/run.py $(BENCH_ARGS)

# Production on two hosts, with faults, on loopback (scripts/prod_smoke.py, docs/DEPLOY.md):
# its own Redis servers, S3 (moto) and database (SMOKE_DATABASE); the system Redis is not touched.
prod-smoke: venv
	$(PY) scripts/prod_smoke.py
