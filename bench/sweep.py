"""The reminder sweep at national scale: time, peak memory, SQL queries (budget 60 s).

    .venv/bin/python bench/sweep.py [--skip-realistic] [--profile]

Runs on the benchmark database (see bench/harness.py) inside one transaction that is rolled
back, so it can be repeated and leaves the data as it found it. Three sweeps are measured:

1. **first sweep, realistic data** — the generated five years as they are (most old work
   accepted, the open part overdue or due soon) and no sent-log: the first morning after
   loading the history;
2. **catch-up, 1 million open** — every assignment reopened with its deadline spread over the
   30 days before and the 370 days after today, and no sent-log at all: the first sweep ever,
   which sends the latest due reminder of every item that has one (a one-off when the system
   starts, or after the log is lost);
3. **next day, 1 million open** — the next working day after (2): what a normal morning costs
   with a million open assignments.

Each is measured as the beat runs it (budget 60 s): the task decides and claims, then queues
one delivery task per 500 people, which the workers run in parallel; each delivery task is
timed one by one after it (reported, with their total on one worker). The third morning is
also measured in one process (`manage.py send_reminders`, no worker), as a reference.

Mail is built down to its bytes and dropped (bench/mail_backend.py); notifications are
written. Peak memory is the process's resident-set high-water mark during the sweep, reset
before each one (Linux: /proc/self/clear_refs).
"""

from __future__ import annotations

import cProfile
import pstats
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Measure, QueryCounter, emit, setup_django

setup_django()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Notification  # noqa: E402
from conclusions.models import Assignment, ReminderLog  # noqa: E402
from conclusions.reminders import reminders_deliver, reminders_sweep  # noqa: E402
from core.calendar import add_working_days, next_working_day_on_or_after  # noqa: E402

BUDGET_MS = 60_000
PROFILE = "--profile" in sys.argv  # cProfile of each sweep on stderr


def _peak_rss_reset() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(name: str, today: date) -> Measure:
    _peak_rss_reset()
    with QueryCounter() as counter:
        started = time.perf_counter()
        if PROFILE:
            profiler = cProfile.Profile()
            result = profiler.runcall(reminders_sweep, today=today)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
        else:
            result = reminders_sweep(today=today)
        elapsed = (time.perf_counter() - started) * 1000
    note = (
        f"{result.claimed:,} reminders to {result.recipients:,} people, {result.emails_sent:,} emails, "
        f"{result.notifications:,} notifications; peak RSS {_peak_rss_mib():.0f} MiB"
    )
    print(f"{name}: {elapsed / 1000:.1f} s, {counter.count} queries; {note}", file=sys.stderr)
    return Measure(name, BUDGET_MS, elapsed, elapsed, counter.count, note)


def fanned_out(label: str, today: date) -> list[Measure]:
    """What the beat's task does: decide and claim, queue one delivery per batch of people
    (collected here), then each batch delivered as a worker would (timed one by one)."""
    batches = []
    _peak_rss_reset()
    with QueryCounter() as counter:
        started = time.perf_counter()
        result = reminders_sweep(today=today, fan_out=lambda sweep_id, ids: batches.append((sweep_id, ids)))
        claimed = (time.perf_counter() - started) * 1000
    note = (
        f"{result.recipients:,} people in {len(batches)} delivery tasks; peak RSS {_peak_rss_mib():.0f} MiB"
    )
    print(
        f"beat task (decide, claim, queue): {claimed / 1000:.1f} s, {counter.count} queries; {note}",
        file=sys.stderr,
    )
    timings, sent = [], 0
    for sweep_id, ids in batches:
        started = time.perf_counter()
        sent += reminders_deliver(sweep_id=sweep_id, recipient_ids=ids, today=today).emails_sent
        timings.append((time.perf_counter() - started) * 1000)
    delivery = f"{sent:,} emails; {sum(timings) / 1000:.1f} s in all for one worker"
    print(f"delivery task per {len(ids) if batches else 0} people: {delivery}", file=sys.stderr)
    return [
        Measure(f"reminder sweep as the beat runs it, {label}", BUDGET_MS, claimed, claimed, counter.count, note),
        # Delivery runs on the workers, in parallel, each task apart: its time is reported,
        # not held to the sweep's budget (see the note: their total on one worker).
        Measure(f"  its {len(timings)} delivery tasks, each (500 people)", None,
                statistics.median(timings) if timings else 0, max(timings, default=0), None, delivery),
    ]  # fmt: skip


def reopen_everything(today: date) -> int:
    """Every assignment open, deadlines spread evenly from 30 days ago to a year ahead."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Assignment._meta.db_table} SET status = 'in_progress', "
            "deadline = %s::date + ((id %% 400) - 30)::int",
            [today],
        )
        return cursor.rowcount


def main() -> None:
    vacuum()  # after an interrupted run
    today = next_working_day_on_or_after(timezone.localdate())
    open_now = Assignment.objects.open().count()
    measures = []
    with transaction.atomic():
        # Tests and earlier runs leave no log behind (rolled back), but a developer's own
        # sweeps might have: start from none, as a first morning would.
        ReminderLog.objects.all().delete()
        if "--skip-realistic" not in sys.argv:
            measures += fanned_out(f"first sweep, realistic ({open_now:,} open)", today)
        ReminderLog.objects.all().delete()
        started = time.perf_counter()
        reopened = reopen_everything(today)
        print(f"reopened {reopened:,} assignments in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        measures += fanned_out(f"catch-up, {reopened:,} open, empty log", today)
        measures += fanned_out(f"next day, {reopened:,} open", add_working_days(today, 1))
        # The same morning in one process (`manage.py send_reminders`, no worker): a reference.
        inline = measure(
            f"  in one process (send_reminders), next day, {reopened:,} open", add_working_days(today, 2)
        )
        inline.budget_ms = None
        measures.append(inline)
        transaction.set_rollback(True)
    # The rolled-back million-row update and the millions of reminders and notifications
    # written leave dead rows behind: clean them, so that the next benchmark reads the tables
    # as a live database would (a sweep over 2 million dead sent-log entries took 5× longer).
    vacuum()
    emit(measures)


def vacuum() -> None:
    with connection.cursor() as cursor:
        for model in (Assignment, ReminderLog, Notification):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


if __name__ == "__main__":
    main()
