"""Server time of django-helpdesk's staff ticket list and dashboard, for the reference-peer table.

    bench/helpdesk/.venv/bin/python bench/helpdesk/measure.py

In-process and warm: django.test.Client, logged in (force_login) as the staff superuser
`bench_admin` that load.py creates, against the PostgreSQL database of project/settings.py.
Each page gets 2 warm-up requests, then 7 timed ones; the median and max wall time of the whole
request (URL resolution, middleware, view, ORM, template or serializer) are reported. The number
of SQL queries is counted on one more, untimed request with CaptureQueriesContext (which forces
the debug cursor, so it is kept out of the timed runs).

The staff ticket list (/tickets/) is only a shell: its rows come from a DataTables server-side
AJAX endpoint (/datatables_ticket_list/<base64 query>), which the browser calls right after the
page loads. Both are measured, plus the pair as one sample, which is the list's real cost.
The endpoint's URL is taken from the rendered page and requested with the parameters DataTables
sends on first load (draw=1, start=0, length=the user's page size, empty search, no order: the
page sets `order: []`, so the server's default sort applies).

Prints ONE JSON object on stdout; logs go to stderr.
"""

import json
import os
import re
import statistics
import sys
import time
import warnings
from html import unescape
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"  # never the product's settings

import django  # noqa: E402

django.setup()

from importlib.metadata import version  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from helpdesk.models import Ticket  # noqa: E402

# helpdesk's dashboard filters DateTimeFields with naive date strings (calc_basic_ticket_stats);
# Django warns about it on every request. That is helpdesk's behaviour, not the bench's: hush it.
warnings.filterwarnings(
    "ignore", message=r"DateTimeField .* received a naive datetime", category=RuntimeWarning
)

WARMUP = 2
RUNS = 7
DATATABLES_RE = re.compile(r'"url":\s*"([^"]*datatables_ticket_list/[^"]*)"')


def log(msg: str) -> None:
    print(f"[helpdesk measure] {msg}", file=sys.stderr, flush=True)


def fetch(client: Client, path: str, params: dict | None = None):
    response = client.get(path, params or {})
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}, expected 200")
    return response


def measure(name: str, steps: list[tuple[str, dict | None]], client: Client) -> dict:
    """Time `steps` (requests made one after the other) as one sample."""

    def once():
        for path, params in steps:
            fetch(client, path, params)

    for _ in range(WARMUP):
        once()
    samples = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        once()
        samples.append((time.perf_counter() - t0) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        once()
    result = {
        "name": name,
        "median_ms": round(statistics.median(samples), 1),
        "max_ms": round(max(samples), 1),
        "queries": len(ctx.captured_queries),
    }
    log(
        f"{name}: median {result['median_ms']} ms, max {result['max_ms']} ms, {result['queries']} queries "
        f"(runs: {', '.join(f'{s:.0f}' for s in samples)})"
    )
    return result


def main() -> int:
    loadavg = os.getloadavg()[0]  # the machine may be shared: read the numbers with this
    tickets = Ticket.objects.count()
    if not tickets:
        raise SystemExit("no tickets: run load.py first")
    user = get_user_model().objects.get(username="bench_admin")
    client = Client()
    client.force_login(user)
    per_page = user.usersettings_helpdesk.tickets_per_page

    list_path = reverse("helpdesk:list")
    page = fetch(client, list_path)
    match = DATATABLES_RE.search(page.content.decode())
    if not match:
        raise SystemExit("could not find the DataTables AJAX URL in the ticket list page")
    data_path = unescape(match.group(1))
    data_params = {
        "draw": "1",
        "start": "0",
        "length": str(per_page),
        "search[value]": "",
        "search[regex]": "false",
    }
    data = json.loads(fetch(client, data_path, data_params).content)
    log(
        f"ticket list data: {data['recordsFiltered']:,} of {data['recordsTotal']:,} matching, "
        f"{len(data['data'])} rows on the first page (page size {per_page}); endpoint {data_path}"
    )
    dashboard_path = reverse("helpdesk:dashboard")

    results = [
        measure("helpdesk ticket list", [(list_path, None)], client),
        measure("helpdesk ticket list data (datatables JSON)", [(data_path, data_params)], client),
        measure("helpdesk ticket list, page + data", [(list_path, None), (data_path, data_params)], client),
        measure("helpdesk dashboard", [(dashboard_path, None)], client),
    ]
    print(
        json.dumps(
            {
                "helpdesk_version": version("django-helpdesk"),
                "django_version": django.get_version(),
                "tickets": tickets,
                "open_tickets_listed": data["recordsFiltered"],
                "page_size": per_page,
                "warmup": WARMUP,
                "runs": RUNS,
                "loadavg_1m_at_start": round(loadavg, 2),
                "results": results,
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
