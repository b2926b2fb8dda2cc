"""`make prod-smoke`: production on two hosts, with faults, on loopback (docs/DEPLOY.md).

Starts its own services beside whatever runs already (never the system Redis on 6379):
a Redis broker with persistence, a Redis cache, an S3-compatible server (moto), a local SMTP
server; two web "hosts" under gunicorn, each with its own empty MEDIA_ROOT, one Celery worker
and one beat, on a database of its own (SMOKE_DATABASE, dropped before and after). Then over
HTTP: a clerk enters opinions on host A, a leader issues the notice on host A, the worker
renders the PDF, host B serves it and its public page shows it; a reminder batch is delivered
while the worker is killed (SIGKILL) mid-batch and restarted, and every person gets exactly
one digest; the cache Redis is stopped and the main pages still answer 200 on both hosts.
Prints each check; exits non-zero at the first failure. Everything it started is stopped.
"""

from __future__ import annotations

import asyncio
import hashlib
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import ExitStack, suppress
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
PYTHON = sys.executable
VENV_BIN = Path(PYTHON).parent
PASSWORD = "mat-khau-thu-nghiem-9"  # tests.factories.UserFactory's
REMINDER_PEOPLE = int(os.environ.get("SMOKE_REMINDER_PEOPLE", "40"))
SMTP_DELAY = 0.12  # seconds the mail server takes per message: the batch lasts long enough to kill
SWEEP_DAY = "2026-10-15"  # a Thursday; the assignments are due the next day ("before-1")
started = time.monotonic()


class SmokeFailureError(Exception):
    pass


def say(message: str) -> None:
    print(f"[prod-smoke {time.monotonic() - started:5.1f}s] {message}", flush=True)


def check(condition: bool, message: str, detail: str = "") -> None:
    if not condition:
        raise SmokeFailureError(f"FAILED: {message}" + (f"\n{detail}" if detail else ""))
    say(f"ok  {message}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, seconds: float, what: str, every: float = 0.3):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise SmokeFailureError(f"FAILED: timed out after {seconds:.0f}s waiting for {what}")


# --- processes -----------------------------------------------------------------------------------


class Processes:
    """Every process this run starts, each in its own process group, stopped at the end."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running[name] = process
        return process

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.running.pop(name)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.running):
            self.kill(name, signal.SIGTERM)

    def log_tail(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def redis_server(processes: Processes, name: str, port: int, folder: Path, *, persistent: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    options = (
        ["--appendonly", "yes", "--appendfsync", "everysec"]
        if persistent
        else ["--save", "", "--appendonly", "no"]
    )
    processes.start(
        name, ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder), *options]
    )
    wait_until(lambda: _redis_ping(port), 15, f"{name} on port {port}")


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_postgres() -> None:
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False).returncode == 0:
        return
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True)
    wait_until(
        lambda: (
            subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False).returncode == 0
        ),
        30,
        "PostgreSQL",
    )


def recreate_database(name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            admin.execute(f'CREATE DATABASE "{name}"')


# --- the mail server ---------------------------------------------------------------------------------


class CountingHandler:
    """A mail server that takes SMTP_DELAY per message before it accepts it (while the
    recipient is checked, as a real server looking up a mailbox), then accepts at once: a
    sender killed before the end of a message delivered nothing, and one killed after the
    server's "250" delivered it, as with a real mail server."""

    def __init__(self) -> None:
        self.delivered: list[str] = []
        self.receiving_since: float | None = None  # when the message being received began

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 — aiosmtpd's
        self.receiving_since = time.monotonic()
        await asyncio.sleep(SMTP_DELAY)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        self.delivered.extend(envelope.rcpt_tos)
        self.receiving_since = None
        return "250 OK"

    def mid_message(self) -> bool:
        """A message is being received and is far from its "250": a kill now is mid-delivery.
        (The worker starts a person's message only after committing the previous person's
        marks, so the one window SMTP leaves — killed between the server's "250" and that
        commit, docs/REMINDERS.md — is not where this kills.)"""
        since = self.receiving_since
        return since is not None and time.monotonic() - since < SMTP_DELAY / 3


# --- HTTP --------------------------------------------------------------------------------------------


def api(base: str, token: str, method: str, path: str, data: dict | None = None) -> dict:
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(data).encode() if data is not None else None,
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raise SmokeFailureError(
            f"FAILED: {method} {path} answered {error.code}: {error.read()[:1500]!r}"
        ) from error


def get(opener, url: str) -> tuple[int, bytes]:
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:  # not listening (yet), or the connection dropped
        return 0, b""


def browser_login(base: str, username: str):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/tai-khoan/dang-nhap/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    request = urllib.request.Request(
        f"{base}/tai-khoan/dang-nhap/",
        data=form.encode(),
        headers={"Referer": f"{base}/tai-khoan/dang-nhap/"},
    )
    opener.open(request, timeout=30).read()
    return opener


# --- the data the scenario starts from -----------------------------------------------------------------


def build_data() -> dict:
    """An area with its bodies, the people of the scenario (with API tokens), a held
    conference, and an issued notice whose REMINDER_PEOPLE assignments each have their own
    responsible person, due the day after SWEEP_DAY."""
    from datetime import date

    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from conclusions import services
    from conclusions.models import Assignment
    from petitions.models import Category
    from tests.conclusions.helpers import assign, draft_notice
    from tests.factories import OrgUnitFactory, UserFactory, conference_for, ward_with_bodies

    with transaction.atomic():
        city = OrgUnitFactory(name="Thành phố Hà Nội", kind="city", symbol="TP")
        ward = ward_with_bodies(city, "Bồ Đề")
        committee = ward.bodies["UBND"]
        clerk = UserFactory(username="smoke_clerk", agency=committee, is_clerk=True, email="clerk@smoke.test")
        leader = UserFactory(
            username="smoke_leader", agency=committee, is_leader=True, email="leader@smoke.test"
        )
        city_front = OrgUnitFactory(parent=city, name="Ủy ban MTTQ thành phố", kind="fatherland_front")
        UserFactory(username="smoke_monitor", agency=city_front, is_monitor=True, email="monitor@smoke.test")
        conference = conference_for(ward, status="held")
        reminders = draft_notice(ward, clerk, conference=conference_for(ward, status="held"))
        for _ in range(REMINDER_PEOPLE):
            assign(reminders, clerk, agency=committee)
        services.notice_issue(notice=reminders, by=leader, issued_on=date(2026, 10, 1))
        for number, assignment in enumerate(reminders.assignments.order_by("pk"), start=1):
            person = UserFactory(
                username=f"smoke_person{number}", agency=committee, email=f"person{number}@smoke.test"
            )
            Assignment.objects.filter(pk=assignment.pk).update(
                deadline=date(2026, 10, 16), responsible_person=person
            )
    return {
        "ward": ward.pk,
        "committee": committee.pk,
        "conference": conference.pk,
        "category": Category.objects.order_by("pk").first().pk,
        "leader": leader.pk,
        "clerk_token": Token.objects.create(user=clerk).key,
        "leader_token": Token.objects.create(user=leader).key,
    }


# --- the scenario ------------------------------------------------------------------------------------


def notice_flow(host_a: str, host_b: str, data: dict) -> None:
    clerk, leader = data["clerk_token"], data["leader_token"]
    rows = [
        {
            "kind": "kien_nghi",
            "channel": "at_conference",
            "category": data["category"],
            "content": f"Đề nghị sửa đường ngõ {n} (prod-smoke)",
            "petitioner_name": "Lê Thị Hoa",
            "petitioner_address": "Tổ dân phố 3",
        }
        for n in (5, 7, 9)
    ]
    created = api(
        host_a, clerk, "POST", f"/api/v1/conferences/{data['conference']}/petitions/", {"petitions": rows}
    )
    opinions = [row["id"] for row in created["petitions"]]
    check(len(opinions) == 3, "host A: the clerk entered 3 opinions over the API", json.dumps(created)[:800])
    notice = api(
        host_a,
        clerk,
        "POST",
        "/api/v1/notices/",
        {
            "conference": data["conference"],
            "issuing_body": data["committee"],
            "summary": "Kết luận tại hội nghị đối thoại với Nhân dân",
            "preamble": "Chủ trì hội nghị kết luận như sau:",
            "items": ["UBND phường trả lời Nhân dân."],
            "closing": "Đề nghị các cơ quan thực hiện.",
            "recipients": "Như trên\nLưu: VT",
            "signer": data["leader"],
            "sign_mode": "TM.",
            "signer_title": "CHỦ TỊCH",
        },
    )
    api(
        host_a,
        clerk,
        "POST",
        f"/api/v1/notices/{notice['id']}/assignments/",
        {
            "item": 1,
            "task": "Sửa đường các ngõ",
            "lead_agency": data["committee"],
            "petitions": opinions,
            "deadline_rule": "date",
            "deadline": "2026-12-31",
        },
    )
    issued = api(host_a, leader, "POST", f"/api/v1/notices/{notice['id']}/issue/")
    label = issued["number_label"]
    check(bool(label), f"host A: the leader issued notice {label}")
    detail = wait_until(
        lambda: (
            (found := api(host_b, clerk, "GET", f"/api/v1/notices/{notice['id']}/")).get("pdf_url") and found
        ),
        90,
        "the worker to render the PDF",
        every=1,
    )
    check(bool(detail["pdf_url"]), "worker: the PDF was rendered and stored in the object store")
    anonymous = urllib.request.build_opener()
    status, pdf = get(anonymous, f"{host_b}/cong-khai/thong-bao/{notice['id']}/pdf/")
    check(
        status == 200 and pdf.startswith(b"%PDF"), f"host B: serves the PDF it never wrote ({len(pdf)} bytes)"
    )
    status, via_api = get(
        urllib.request.build_opener(),
        urllib.request.Request(
            f"{host_b}/api/v1/notices/{notice['id']}/pdf/", headers={"Authorization": f"Token {clerk}"}
        ),
    )
    check(
        hashlib.sha256(pdf).digest() == hashlib.sha256(via_api).digest(),
        "host B: public and API copies are the same file",
    )
    status, page = get(anonymous, f"{host_b}/cong-khai/dia-ban/{data['ward']}/")
    text = page.decode()
    check(
        status == 200 and label in text and f"/cong-khai/thong-bao/{notice['id']}/pdf/" in text,
        "host B: the public area page shows the notice and its PDF link",
    )


def reminders_flow(processes: Processes, smtp: CountingHandler, worker_command, worker_env) -> None:
    from django.db import connections

    from conclusions.models import ReminderLog
    from conclusions.tasks import reminders_send

    reminders_send.apply_async(kwargs={"day": SWEEP_DAY})
    wait_until(
        lambda: len(smtp.delivered) >= REMINDER_PEOPLE // 3 and smtp.mid_message(),
        120,
        "the first digests of the batch, then a digest being sent",
        every=0.005,
    )
    processes.kill("worker", signal.SIGKILL)
    at_kill = len(smtp.delivered)
    say(f"--  worker killed (SIGKILL) after {at_kill} digests of the batch")
    unsent = ReminderLog.objects.filter(sent_at__isnull=True).count()
    connections.close_all()
    check(unsent > 0, f"the kill left {unsent} reminders claimed and unsent (it was mid-batch)")
    processes.start("worker", worker_command, worker_env)

    def all_sent():
        connections.close_all()
        return ReminderLog.objects.exists() and not ReminderLog.objects.filter(sent_at__isnull=True).exists()

    wait_until(all_sent, 120, "the restarted worker to deliver the rest", every=1)
    time.sleep(3)  # anything sent twice would arrive now
    counts = Counter(smtp.delivered)
    expected = set(
        ReminderLog.objects.filter(email_sent=True).values_list("recipient__email", flat=True).distinct()
    )
    twice = {address: n for address, n in counts.items() if n > 1}
    check(not twice, f"duplicates after the kill: {len(twice)}", json.dumps(twice))
    check(
        set(counts) == expected and len(expected) >= REMINDER_PEOPLE,
        f"every person got exactly one digest: {len(counts)} people, {sum(counts.values())} digests",
        f"missing: {sorted(expected - set(counts))[:10]}",
    )


def cache_outage_flow(processes: Processes, hosts: list[str], data: dict) -> None:
    processes.kill("redis-cache", signal.SIGTERM)
    say("--  cache Redis stopped")
    monitor = browser_login(hosts[0], "smoke_monitor")
    clerk = browser_login(hosts[0], "smoke_clerk")
    pages = [
        (monitor, "/"),
        (monitor, "/hoi-nghi/"),
        (monitor, "/theo-doi/giam-sat/"),
        (clerk, "/"),
        (clerk, "/y-kien/"),
    ]
    public = urllib.request.build_opener()
    for host in hosts:
        for opener, path in pages:
            status, _body = get(opener, host + path)
            check(status == 200, f"cache down: {host}{path} answered {status}")
        status, _body = get(public, f"{host}/cong-khai/dia-ban/{data['ward']}/")
        check(status == 200, f"cache down: {host} public area page answered {status}")
        status, _body = get(public, f"{host}/cong-khai/tra-cuu/?ma=ABCDE-23456")
        check(status == 404, f"cache down: {host} public lookup answered {status} (not found, not 500)")


def main() -> int:
    database = os.environ.get("SMOKE_DATABASE", "doithoai_prod_smoke")
    scratch = Path(tempfile.mkdtemp(prefix="doithoai-prod-smoke-"))
    processes = Processes(scratch)
    ports = {name: free_port() for name in ("broker", "cache", "s3", "smtp", "web_a", "web_b")}
    with ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, scratch, True)
        cleanup.callback(processes.stop_all)
        ensure_postgres()
        recreate_database(database)
        cleanup.callback(recreate_database, database, drop_only=True)
        redis_server(processes, "redis-broker", ports["broker"], scratch / "broker", persistent=True)
        redis_server(processes, "redis-cache", ports["cache"], scratch / "cache", persistent=False)
        processes.start("s3", [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(ports["s3"])])
        wait_until(lambda: _port_open(ports["s3"]), 30, "the S3 server")
        from aiosmtpd.controller import Controller

        smtp = CountingHandler()
        mail = Controller(smtp, hostname="127.0.0.1", port=ports["smtp"])
        mail.start()
        cleanup.callback(mail.stop)
        say("services: PostgreSQL, Redis broker (appendonly) and cache, S3 (moto), SMTP")

        common = {
            **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_"))},
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
            "CONN_MAX_AGE": "0",
            "REDIS_URL": f"redis://127.0.0.1:{ports['cache']}/0",
            "CACHE_URL": f"redis://127.0.0.1:{ports['cache']}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{ports['broker']}/0",
            "S3_BUCKET": "doithoai-smoke",
            "S3_ENDPOINT_URL": f"http://127.0.0.1:{ports['s3']}",
            "S3_ACCESS_KEY": "smoke",
            "S3_SECRET_KEY": "smoke-secret",
            "S3_REGION": "us-east-1",
            "WEB_HOSTS": "2",
            "EMAIL_URL": f"smtp://127.0.0.1:{ports['smtp']}",
            "SITE_URL": "https://doithoai.example.gov.vn",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_ACCESS_LOG": "-",
            "GUNICORN_CONTROL_SOCKET": "",
        }
        host_env = {
            name: {**common, "MEDIA_ROOT": str(scratch / f"media-{name}")} for name in ("a", "b", "worker")
        }
        os.environ.update(host_env["worker"])
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        import boto3
        import django

        boto3.client(
            "s3",
            endpoint_url=common["S3_ENDPOINT_URL"],
            aws_access_key_id="smoke",
            aws_secret_access_key="smoke-secret",
            region_name="us-east-1",
        ).create_bucket(Bucket="doithoai-smoke")
        migrate = subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput"],
            cwd=BASE_DIR,
            env=common,
            capture_output=True,
            text=True,
            check=False,
        )
        check(migrate.returncode == 0, "migrate on an empty database", migrate.stderr[-3000:])
        deploy = subprocess.run(
            [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
            cwd=BASE_DIR,
            env=common,
            capture_output=True,
            text=True,
            check=False,
        )
        check(
            deploy.returncode == 0,
            "check --deploy: shared cache, separate broker, shared files for 2 hosts",
            deploy.stderr[-2000:],
        )
        django.setup()
        data = build_data()

        hosts = []
        for name in ("a", "b"):
            port = ports[f"web_{name}"]
            env = {**host_env[name], "GUNICORN_BIND": f"127.0.0.1:{port}"}
            processes.start(f"web-{name}", [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.py"], env)
            hosts.append(f"http://127.0.0.1:{port}")
        worker_command = [PYTHON, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"]
        processes.start("worker", worker_command, host_env["worker"])
        processes.start(
            "beat",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=INFO",
                f"--schedule={scratch / 'beat-schedule'}",
            ],
            host_env["worker"],
        )
        for host in hosts:
            wait_until(
                lambda host=host: get(urllib.request.build_opener(), f"{host}/healthz")[0] == 200,
                60,
                f"{host}/healthz",
            )
        health = wait_until(
            lambda: (
                (body := json.loads(get(urllib.request.build_opener(), f"{hosts[1]}/healthz")[1])).get(
                    "worker"
                )
                and body.get("beat_last_ran")
                and body
            ),
            60,
            "/healthz to see the worker and the beat",
        )
        check(True, f"two gunicorn hosts, a worker and a beat: /healthz says {json.dumps(health)}")

        try:
            notice_flow(hosts[0], hosts[1], data)
            reminders_flow(processes, smtp, worker_command, host_env["worker"])
            cache_outage_flow(processes, hosts, data)
        except Exception:
            for name in ("web-a", "web-b", "worker", "beat"):
                print(f"--- last lines of {name} ---\n{processes.log_tail(name)}", file=sys.stderr)
            raise
        say(f"all checks passed in {time.monotonic() - started:.0f}s")
        return 0


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SmokeFailureError as failure:
        print(f"[prod-smoke] {failure}", file=sys.stderr, flush=True)
        sys.exit(1)
