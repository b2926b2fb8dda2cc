"""Why a page is slow: its SQL statements, each timed, and the plans of the slowest.

    .venv/bin/python bench/explain.py AS URL [--top 3] [--no-analyze]

AS is who asks: `national` (a superuser), `ward` (the generated ward's leader), `province`
or `province-monitor` (a leader or monitor of that ward's province), `nation` or `nation-leader` or
`nation-monitor` (staff of the national unit), `public` (anonymous). `--uncached` turns the
dashboards' cache off, `--stale` also takes the monthly summaries as stale (worker down).
The page is requested twice (the first warms the caches); the second's statements are listed
with their time, slowest first, and the slowest `--top` are run again under
EXPLAIN (ANALYZE, BUFFERS): the plan, rows and pages read are repeatable where the time on a
shared machine is not. A statement run under `planner_settings` (core.pagination) is explained
with the same settings. Runs on the benchmark database (bench/harness.py), reads only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import setup_django

setup_django()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from pages import area_users, client_for, national_user, province_users, ward_leader  # noqa: E402

SETTINGS_CALL = "set_config("


class Recorder:
    """Keeps each statement with its parameters, time and the planner settings in force."""

    def __init__(self) -> None:
        self.statements: list[tuple[float, str, object, list]] = []
        self.settings: list = []

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith("SELECT " + SETTINGS_CALL):
            self.settings = list(params)
        elif sql.startswith("ROLLBACK TO SAVEPOINT") or sql.startswith("RELEASE SAVEPOINT"):
            self.settings = []
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            self.statements.append((elapsed, sql, params, list(self.settings)))


def client(who: str) -> Client:
    if who == "public":
        return Client()
    if who == "national":
        return client_for(national_user())
    if who.startswith("nation"):
        from accounts.models import OrgUnit

        nation = OrgUnit.objects.get(parent=None, kind=OrgUnit.Kind.NATION)
        nation_leader, nation_monitor = area_users(nation, "nation")
        return client_for(nation_monitor if who == "nation-monitor" else nation_leader)
    leader = ward_leader()
    if who == "ward":
        return client_for(leader)
    province_leader, province_monitor = province_users(leader.area.parent)
    return client_for(province_monitor if who == "province-monitor" else province_leader)


def explain(sql: str, params, settings: list, analyze: bool) -> str:
    options = "ANALYZE, BUFFERS" if analyze else "COSTS"
    with transaction.atomic(), connection.cursor() as cursor:
        if settings:
            cursor.execute(
                "SELECT " + ", ".join([SETTINGS_CALL + "%s, %s, true)"] * (len(settings) // 2)), settings
            )
        cursor.execute(f"EXPLAIN ({options}) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "who",
        choices=[
            "national",
            "ward",
            "province",
            "province-monitor",
            "nation",
            "nation-leader",
            "nation-monitor",
            "public",
        ],
    )
    parser.add_argument("url")
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--no-analyze", action="store_true")
    parser.add_argument("--uncached", action="store_true", help="DASHBOARD_CACHE_SECONDS=0")
    parser.add_argument("--stale", action="store_true", help="the summaries taken as stale (worker down)")
    args = parser.parse_args()
    overrides = {"DASHBOARD_CACHE_SECONDS": 0} if args.uncached or args.stale else {}
    if args.stale:
        overrides["DASHBOARD_SUMMARY_MAX_AGE"] = -1
    with override_settings(**overrides):
        run(args)


def run(args) -> None:
    browser = client(args.who)
    browser.get(args.url)
    recorder = Recorder()
    started = time.perf_counter()
    with connection.execute_wrapper(recorder):
        response = browser.get(args.url)
    total = (time.perf_counter() - started) * 1000
    print(f"{args.url}: {response.status_code}, {total:.1f} ms, {len(recorder.statements)} statements")
    ranked = sorted(recorder.statements, key=lambda statement: -statement[0])
    for elapsed, sql, _params, settings in ranked:
        print(f"  {elapsed:8.1f} ms  {sql[:150]}" + (f"  [{settings}]" if settings else ""))
    for elapsed, sql, params, settings in ranked[: args.top]:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")) or sql.startswith(
            "SELECT " + SETTINGS_CALL
        ):
            continue
        print(f"\n--- {elapsed:.1f} ms ---\n{connection.ops.compose_sql(sql, params) if params else sql}")
        print(explain(sql, params, settings, analyze=not args.no_analyze))


if __name__ == "__main__":
    main()
