"""`make bench`: every benchmark, one table with each budget of ../shared/DESIGN.md beside
the measure.

    .venv/bin/python bench/run.py [--scale 1] [--no-peer] [--only pages,sweep,pdf,messages,peer]

1. The benchmark database (`BENCH_DATABASE_URL`, default `doithoai_bench` on the local
   PostgreSQL) is created and migrated if needed, and filled once with the demo data and
   `seed_demo --scale N` (N = 1: 10,000 wards, 2 million petitions, 1 million assignments;
   about ten minutes on two cores). Later runs reuse it.
2. Each script runs in its own process (bench/pages.py, bench/sweep.py, bench/notice_pdf.py,
   bench/messages.py: the messages to citizens of 10,000 events)
   and prints its measures as JSON; the peer reference (django-helpdesk on 100,000 tickets,
   bench/helpdesk/) runs in its own virtual environment.
3. The table: measure, budget, median, max, SQL queries, verdict.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BASE_DIR = BENCH.parent
PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/doithoai_bench"


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    return env


def manage(*args: str) -> None:
    env = environment()
    env.update(DATABASE_URL=env["BENCH_DATABASE_URL"], DEBUG="1", LOG_LEVEL="WARNING")
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def database_ready(scale: float) -> None:
    """Create, migrate and fill the benchmark database unless it is already filled."""
    url = environment()["BENCH_DATABASE_URL"]
    name = url.rsplit("/", 1)[-1]
    import psycopg

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v0")
    with psycopg.connect(url) as connection:
        generated = connection.execute(
            "SELECT count(*) FROM accounts_user WHERE username LIKE 's%%.lanhdao'"
        ).fetchone()[0]
    if generated:
        print(f"Benchmark database {name}: generated data present ({generated:,} wards), reused.")
        return
    print(f"Benchmark database {name}: generating seed_demo --scale {scale:g} (takes minutes)…", flush=True)
    started = time.monotonic()
    manage("seed_demo", "--scale", str(scale))
    print(f"generated in {time.monotonic() - started:.0f} s")
    # A live database is vacuumed by autovacuum as it fills; a bulk load is not yet. Without
    # the visibility map every index-only scan reads the table too (the national overdue
    # review measured 332 ms before, 107 ms after).
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def run_json(command: list[str], env: dict[str, str] | None = None) -> list[dict]:
    completed = subprocess.run(
        command, cwd=BASE_DIR, env=env or environment(), capture_output=True, text=True
    )
    sys.stderr.write(completed.stderr[-4000:])
    if completed.returncode != 0:
        print(f"FAILED: {' '.join(command)} (exit {completed.returncode})")
        return []
    return json.loads(completed.stdout.strip().splitlines()[-1])


def peer() -> list[dict]:
    script = BENCH / "helpdesk" / "run.sh"
    if not script.exists():
        return []
    completed = subprocess.run(["bash", str(script)], cwd=BASE_DIR, capture_output=True, text=True)
    sys.stderr.write(completed.stderr[-4000:])
    if completed.returncode != 0:
        print(f"peer benchmark failed (exit {completed.returncode})")
        return []
    data = json.loads(completed.stdout.strip().splitlines()[-1])
    label = f"django-helpdesk {data.get('helpdesk_version', '?')}, {data.get('tickets', 0):,} tickets"
    return [
        {
            "name": f"[peer] {result['name']}",
            "budget_ms": None,
            "median_ms": result["median_ms"],
            "max_ms": result["max_ms"],
            "queries": result.get("queries"),
            "note": label,
        }
        for result in data.get("results", [])
    ]


def table(measures: list[dict]) -> str:
    header = f"{'measure':<62} {'budget':>9} {'median':>10} {'max':>10} {'queries':>8}  verdict"
    lines = [header, "-" * len(header)]
    for m in measures:
        budget = m["budget_ms"]
        if budget is None:
            verdict = "reference" if m["name"].startswith("[peer]") else "no budget"
        else:
            verdict = "ok" if m["median_ms"] <= budget else "OVER"
        lines.append(
            f"{m['name'][:62]:<62} {_ms(budget):>9} {_ms(m['median_ms']):>10} {_ms(m['max_ms']):>10} "
            f"{m['queries'] if m['queries'] is not None else '':>8}  {verdict}"
        )
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value / 1000:.1f} s" if value >= 10_000 else f"{value:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--no-peer", action="store_true", help="skip the django-helpdesk reference")
    parser.add_argument("--only", default="pages,sweep,pdf,messages,peer")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    database_ready(args.scale)
    measures: list[dict] = []
    if "pages" in parts:
        measures += run_json([PYTHON, "bench/pages.py"])
    if "sweep" in parts:
        measures += run_json([PYTHON, "bench/sweep.py"])
    if "pdf" in parts:
        env = environment()
        env["DEBUG"] = "1"
        measures += run_json([PYTHON, "bench/notice_pdf.py", "--json"], env)
    if "messages" in parts:
        measures += run_json([PYTHON, "bench/messages.py"])
    if "peer" in parts and not args.no_peer:
        measures += peer()
    print()
    print(table(measures))
    over = [m for m in measures if m["budget_ms"] is not None and m["median_ms"] > m["budget_ms"]]
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
