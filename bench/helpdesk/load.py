"""Load 100,000 django-helpdesk tickets (and their follow-ups) for the reference-peer benchmark.

    bench/helpdesk/.venv/bin/python bench/helpdesk/load.py [--tickets N]

Idempotent: if the database already holds N or more tickets it does nothing. Otherwise it empties
the helpdesk ticket tables and loads everything in one transaction with PostgreSQL COPY in batches,
so an interrupted load leaves nothing behind. Data is deterministic (fixed random seed), with dates
relative to the day of loading:

- 5 queues of different sizes, 8 staff users plus the superuser `bench_admin` (whom measure.py logs
  in as; it is one of the assignees, like a working team lead);
- tickets spread over 5 years, growing year on year; old tickets are mostly closed/resolved,
  recent ones mostly open, so a few thousand are open or reopened (the list's default filter);
- priorities 1-5 weighted towards 3, ~15% unassigned (mostly among open tickets), ~30% with a due
  date;
- ~1.5 follow-ups per ticket on average (0-4), the last one closing closed tickets.
Logs go to stderr.
"""

import argparse
import os
import random
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"  # never the product's settings

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from helpdesk.models import FollowUp, KBCategory, KBItem, Queue, Ticket  # noqa: E402

User = get_user_model()

DEFAULT_TICKETS = 100_000
BATCH = 10_000
SEED = 2200

SUPERUSER = "bench_admin"
SUPERUSER_EMAIL = "bench_admin@example.com"
STAFF = ["an.nguyen", "binh.tran", "chi.le", "dung.pham", "giang.hoang", "hai.vu", "lan.dang", "minh.bui"]
# (slug, title, share of tickets)
QUEUES = [
    ("it", "IT Support", 0.40),
    ("billing", "Billing", 0.20),
    ("facilities", "Facilities", 0.15),
    ("hr", "Human Resources", 0.15),
    ("web", "Website Feedback", 0.10),
]
SUBJECTS = [
    "Cannot log in to {x}",
    "Request for new {x}",
    "{x} is very slow",
    "Error message when opening {x}",
    "Question about {x}",
    "Please update {x}",
    "{x} stopped working after update",
    "Access request: {x}",
    "Invoice problem with {x}",
    "Broken {x} in meeting room",
]
THINGS = [
    "the VPN",
    "my laptop",
    "the printer",
    "e-mail",
    "the payroll system",
    "the shared drive",
    "the projector",
    "the accounting software",
    "my account",
    "the website",
    "the air conditioner",
    "the phone line",
    "the HR portal",
    "the ticketing system",
    "the Wi-Fi",
    "the badge reader",
]
SENTENCES = [
    "This started this morning and affects the whole team.",
    "I have already tried restarting, which did not help.",
    "Could someone please look at it as soon as possible?",
    "The same thing happened last month and was fixed by support.",
    "Screenshots are available on request.",
    "It only happens in the afternoon when many people are connected.",
    "We need this before the end of the quarter.",
    "Please call me on my extension if you need more details.",
    "Our department head has asked for an update by Friday.",
    "The error code shown is 0x80070005.",
]
REPLIES = [
    "Thanks, we are looking into it.",
    "Could you send us the exact error message?",
    "We have escalated this to the vendor.",
    "A technician will visit this afternoon.",
    "This should be fixed now, please confirm.",
    "Closing as resolved; reopen if it happens again.",
    "Duplicate of an earlier ticket, merging.",
]

OPEN, REOPENED, RESOLVED, CLOSED, DUPLICATE = (
    Ticket.OPEN_STATUS,
    Ticket.REOPENED_STATUS,
    Ticket.RESOLVED_STATUS,
    Ticket.CLOSED_STATUS,
    Ticket.DUPLICATE_STATUS,
)


def log(msg: str) -> None:
    print(f"[helpdesk load] {msg}", file=sys.stderr, flush=True)


def ensure_users() -> list:
    admin, created = User.objects.get_or_create(
        username=SUPERUSER,
        defaults={"email": SUPERUSER_EMAIL, "is_staff": True, "is_superuser": True, "first_name": "Bench"},
    )
    if created:
        admin.set_unusable_password()  # measure.py uses force_login
        admin.save()
    staff = [admin]
    for name in STAFF:
        first, last = name.split(".")
        user, created = User.objects.get_or_create(
            username=name,
            defaults={
                "email": f"{name}@example.com",
                "is_staff": True,
                "first_name": first.title(),
                "last_name": last.title(),
            },
        )
        if created:
            user.set_unusable_password()
            user.save()
        staff.append(user)
    return staff


def ensure_queues() -> list:
    queues = []
    for slug, title, _share in QUEUES:
        queue, _ = Queue.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "email_address": f"{slug}@example.com",
                "allow_public_submission": True,
            },
        )
        queues.append(queue)
    if not KBCategory.objects.exists():
        cat = KBCategory.objects.create(
            name="General",
            title="Frequently asked questions",
            slug="general",
            description="Common questions.",
        )
        for i, thing in enumerate(THINGS[:6]):
            KBItem.objects.create(
                category=cat,
                title=f"How do I fix {thing}?",
                question=f"Problems with {thing}.",
                answer="Restart it.",
                votes=0,
                recommendations=0,
                last_updated=timezone.now(),
                order=i,
            )
    return queues


def pick_status(rng: random.Random, age_days: float) -> int:
    r = rng.random()
    if age_days < 30:
        table = ((0.55, OPEN), (0.63, REOPENED), (0.85, RESOLVED), (0.97, CLOSED), (1.0, DUPLICATE))
    elif age_days < 180:
        table = ((0.12, OPEN), (0.16, REOPENED), (0.36, RESOLVED), (0.97, CLOSED), (1.0, DUPLICATE))
    else:
        table = ((0.01, OPEN), (0.015, REOPENED), (0.08, RESOLVED), (0.97, CLOSED), (1.0, DUPLICATE))
    for limit, status in table:
        if r < limit:
            return status
    return CLOSED


def generate(n: int, queues: list, staff: list) -> tuple[list, list]:
    rng = random.Random(SEED)
    now = timezone.now()
    span = 5 * 365
    queue_ids = [q.pk for q in queues]
    queue_weights = [share for _slug, _title, share in QUEUES]
    staff_ids = [u.pk for u in staff]
    priorities = [1, 2, 3, 4, 5]
    priority_weights = [3, 12, 60, 15, 10]
    tickets, followups = [], []
    # Ages drawn so volume grows over time: density proportional to (1 - age/span) + 0.5.
    ages = []
    while len(ages) < n:
        a = rng.random() * span
        if rng.random() * 1.5 < (1 - a / span) + 0.5:
            ages.append(a)
    ages.sort(reverse=True)  # ids ascend with creation date, as in a real system
    fu_id = 0
    for i, age in enumerate(ages, start=1):
        created = now - timedelta(days=age, seconds=rng.randint(0, 86_399))
        status = pick_status(rng, age)
        open_like = status in (OPEN, REOPENED)
        assigned = None if rng.random() < (0.35 if open_like else 0.08) else rng.choice(staff_ids)
        subject = rng.choice(SUBJECTS).format(x=rng.choice(THINGS))
        submitter = SUPERUSER_EMAIL if rng.random() < 0.005 else f"user{rng.randint(1, 20_000)}@example.org"
        description = " ".join(rng.sample(SENTENCES, rng.randint(2, 5)))
        due = created + timedelta(days=rng.randint(3, 30)) if rng.random() < 0.30 else None
        resolution = rng.choice(REPLIES[4:]) if status in (RESOLVED, CLOSED, DUPLICATE) else None
        # follow-ups
        k = rng.choices([0, 1, 2, 3, 4], weights=[25, 25, 25, 15, 10])[0]
        if status in (RESOLVED, CLOSED, DUPLICATE):
            k = max(k, 1)
        last = created
        for j in range(k):
            last = last + timedelta(hours=rng.randint(1, 72) if age > 3 else rng.randint(1, 3))
            if last > now:
                last = now - timedelta(minutes=k - j)
            final = j == k - 1 and status in (RESOLVED, CLOSED, DUPLICATE)
            fu_id += 1
            followups.append(
                (
                    fu_id,
                    last,
                    "Ticket Closed"
                    if final and status == CLOSED
                    else ("Comment" if not final else "Resolved"),
                    rng.choice(REPLIES),
                    rng.random() < 0.7,
                    status if final else None,
                    i,
                    assigned or rng.choice(staff_ids),
                    timedelta(minutes=rng.choice([5, 10, 15, 30, 60])),
                )
            )
        modified = max(last, created)
        tickets.append(
            (
                i,
                subject,
                created,
                modified,
                submitter,
                status,
                open_like and rng.random() < 0.03,
                description,
                resolution,
                rng.choices(priorities, weights=priority_weights)[0],
                due,
                assigned,
                rng.choices(queue_ids, weights=queue_weights)[0],
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            )
        )
    return tickets, followups


TICKET_COLS = (
    "id, title, created, modified, submitter_email, status, on_hold, description, resolution, priority, "
    "due_date, assigned_to_id, queue_id, secret_key"
)
FOLLOWUP_COLS = "id, date, title, comment, public, new_status, ticket_id, user_id, time_spent"


def copy_rows(table: str, cols: str, rows: list) -> None:
    raw = connection.cursor().cursor  # the psycopg 3 cursor under Django's wrapper
    for start in range(0, len(rows), BATCH):
        with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows[start : start + BATCH]:
                copy.write_row(row)
        log(f"{table}: {min(start + BATCH, len(rows)):,}/{len(rows):,}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tickets", type=int, default=int(os.environ.get("HELPDESK_TICKETS", DEFAULT_TICKETS))
    )
    args = parser.parse_args()
    existing = Ticket.objects.count()
    if existing >= args.tickets:
        log(f"{existing:,} tickets already loaded; nothing to do")
        return 0
    t0 = time.perf_counter()
    with transaction.atomic():
        staff = ensure_users()
        queues = ensure_queues()
        if existing:
            log(f"found {existing:,} tickets (< {args.tickets:,}); reloading")
            with connection.cursor() as cur:
                cur.execute(f"TRUNCATE {Ticket._meta.db_table} CASCADE")  # and every table referencing it
        tickets, followups = generate(args.tickets, queues, staff)
        log(
            f"generated {len(tickets):,} tickets and {len(followups):,} follow-ups in {time.perf_counter() - t0:.1f}s"
        )
        copy_rows(Ticket._meta.db_table, TICKET_COLS, tickets)
        copy_rows(FollowUp._meta.db_table, FOLLOWUP_COLS, followups)
        with connection.cursor() as cur:
            for table in (Ticket._meta.db_table, FollowUp._meta.db_table):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
    with connection.cursor() as cur:  # fresh statistics, so the planner sees 100k rows
        cur.execute(f"ANALYZE {Ticket._meta.db_table}")
        cur.execute(f"ANALYZE {FollowUp._meta.db_table}")
        cur.execute("ANALYZE auth_user")
        cur.execute("ANALYZE helpdesk_queue")
    log(f"loaded {len(tickets):,} tickets, {len(followups):,} follow-ups in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
