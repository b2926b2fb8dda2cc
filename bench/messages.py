"""The messages to citizens of 10,000 events: claim (decide and insert the log rows) and
delivery (the file backend, so the measure is ours, not a gateway's), with SQL query counts.

    BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/messages.py

Runs on the benchmark database (PostgreSQL: the claim is INSERT … ON CONFLICT, the delivery
FOR UPDATE SKIP LOCKED) inside one transaction that is rolled back at the end: nothing is
left behind. 10,000 opinions with consent and a mobile number are inserted, then announced
as 10 events of 1,000 opinions (a fast entry or an import announces its batch at once), and
every batch is delivered in chunks of MESSAGES_DELIVERY_CHUNK.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/doithoai_bench"
)
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import OrgUnit  # noqa: E402
from messaging.models import CitizenMessage  # noqa: E402
from messaging.services import messages_claim, messages_deliver  # noqa: E402
from petitions.models import Category, Petition  # noqa: E402

EVENTS = 10_000
BATCH = 1_000


def _opinions(area, category) -> list[int]:
    rows = [
        Petition(
            area=area,
            received_on=date(2026, 12, 1),
            category=category,
            content=f"Ý kiến thử {n}",
            petitioner_name="Người thử",
            petitioner_phone=f"09{n:08d}",
            message_consent=True,
            search_text=f"y kien thu {n}",
        )
        for n in range(EVENTS)
    ]
    return [petition.pk for petition in Petition.objects.bulk_create(rows, batch_size=2000)]


def measure() -> list[dict]:
    settings.CITIZEN_MESSAGE_BACKENDS = {"sms": "file", "zalo": "off", "email": "off"}
    settings.MESSAGES_FILE_DIR = tempfile.mkdtemp(prefix="bench-messages-")
    chunk = settings.MESSAGES_DELIVERY_CHUNK
    claims, deliveries, claim_queries, deliver_queries = [], [], [], []
    with transaction.atomic():
        area = OrgUnit.objects.create(name="Phường thử tin nhắn", kind="ward")
        ids = _opinions(area, Category.objects.order_by("pk").first())
        batches = []
        for start in range(0, EVENTS, BATCH):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                batches.append(
                    messages_claim(kind="received", petition_ids=ids[start : start + BATCH], data={})
                )
                claims.append((time.perf_counter() - began) * 1000)
            claim_queries.append(len(queries))
        for batch in batches:
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                result = messages_deliver(batch=batch)
                deliveries.append((time.perf_counter() - began) * 1000)
            deliver_queries.append(len(queries))
            assert result.sent == BATCH, result
        # Only this run's: the benchmark database holds the demo's sent messages too.
        assert CitizenMessage.objects.filter(status="sent", petition__area=area).count() == EVENTS
        transaction.set_rollback(True)
    per_chunk = max(deliver_queries) / (BATCH / chunk)
    return [
        {
            "name": f"messages: claim, {EVENTS:,} events ({BATCH:,} a batch), per batch",
            "budget_ms": None,
            "median_ms": statistics.median(claims),
            "max_ms": max(claims),
            "queries": max(claim_queries),
            "note": f"total {sum(claims) / 1000:.2f} s; queries per batch {sorted(set(claim_queries))}",
        },
        {
            "name": f"messages: deliver {BATCH:,} SMS (file), chunks of {chunk}",
            "budget_ms": None,
            "median_ms": statistics.median(deliveries),
            "max_ms": max(deliveries),
            "queries": max(deliver_queries),
            "note": f"total {sum(deliveries) / 1000:.2f} s for {EVENTS:,}; {per_chunk:.1f} queries per chunk",
        },
    ]


if __name__ == "__main__":
    rows = measure()
    for row in rows:
        sys.stderr.write(f"{row['name']}: median {row['median_ms']:.1f} ms, max {row['max_ms']:.1f} ms, "
                         f"{row['queries']} queries; {row['note']}\n")  # fmt: skip
    print(json.dumps(rows))
