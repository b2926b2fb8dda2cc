"""Deadline reminders: what is sent to whom and when, exactly once (conclusions/reminders.py).

Dates used below (October 2026 has no public holiday): a deadline on Friday 16/10/2026 is
7 working days ahead on 07/10, 3 on 13/10, 1 on 15/10; the next working day after it is
Monday 19/10, then weekly (26/10); "overdue more than 5 days" starts on 22/10 and "more than
15 days" on 01/11.
"""

import email
import smtplib
import socket
import threading
import uuid
from datetime import date
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import connection

from accounts.models import Notification
from conclusions import reminders, services
from conclusions.models import Assignment, ReminderLog, ReminderRule
from conclusions.reminders import reminders_sweep, rules_ensure
from conclusions.tasks import reminders_send
from core.calendar import add_working_days
from core.models import CalendarOverride
from tests.conclusions.helpers import assign, draft_notice, handler_of, held_conference, leader_of
from tests.workers import celery_workers, private_queue, wait_for

DEADLINE = date(2026, 10, 16)


@pytest.fixture(autouse=True, params=["set_sql", "page_by_page"])
def _decision(request, monkeypatch):
    """Every scenario both ways the sweep decides: PostgreSQL's set-based statement, and the
    page-by-page comparison used on SQLite (`make run`)."""
    if request.param == "page_by_page":
        monkeypatch.setattr(reminders, "uses_set_sql", lambda: False)


@pytest.fixture(autouse=True)
def _rules(_reference_data):
    """The default rules come from a data migration, which transactional tests empty."""
    rules_ensure()


@pytest.fixture(autouse=True)
def _no_pdf_queue(monkeypatch):
    # Transactional tests commit the issue: its PDF task would go to the real broker.
    monkeypatch.setattr(services, "queue_notice_pdf", lambda notice_id: True)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://doithoai.example.vn"


@pytest.fixture
def people(ward, make_user):
    """Who is who in the ward: the office, the leader, handlers and the Front's monitor."""
    return {
        "clerk": make_user("clerk", email="clerk@example.vn"),
        "leader": leader_of(ward, email="leader@example.vn"),
        "handler": handler_of(ward.bodies["UBND"], email="handler@example.vn"),
        "responsible": make_user(email="responsible@example.vn", full_name="Trần Văn Trách"),
        "partner": handler_of(ward.bodies["ĐU"], email="partner@example.vn"),
        "monitor": make_user("monitor", agency=ward.bodies["MTTQ"], email="monitor@example.vn"),
    }


def issued(ward, people, count=1, *, deadline=DEADLINE, coordinating=(), responsible=True):
    """`count` assignments of one issued notice, led by the ward's People's Committee."""
    clerk = people["clerk"]
    notice = draft_notice(ward, clerk, conference=held_conference(ward, opinions=0))
    for _ in range(count):
        assign(notice, clerk, agency=ward.bodies["UBND"])
    services.notice_issue(notice=notice, by=people["leader"], issued_on=date(2026, 10, 1))
    assignments = list(notice.assignments.order_by("pk"))
    Assignment.objects.filter(notice=notice).update(
        deadline=deadline, responsible_person=people["responsible"] if responsible else None
    )
    for assignment in assignments:
        assignment.coordinating_agencies.set(coordinating)
    return assignments


def sent_to(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def rules_logged(**filters) -> list[str]:
    return list(
        ReminderLog.objects.filter(**filters).order_by("due_on", "pk").values_list("rule__code", flat=True)
    )


def reminder_notifications(user) -> list[str]:
    # Issuing a notice notifies the assignees too ("Việc mới ..."); reminders start with a group.
    return list(
        Notification.objects.filter(recipient=user)
        .exclude(text__startswith="Việc mới")
        .order_by("pk")
        .values_list("text", flat=True)
    )


# --- what is sent, to whom -------------------------------------------------------------------


@pytest.mark.django_db
def test_first_sweep_sends_one_digest_per_person_and_the_second_nothing(ward, people, mailoutbox):
    (soon,) = issued(ward, people, deadline=DEADLINE)  # 1 working day ahead on 15/10
    (late,) = issued(ward, people, deadline=date(2026, 10, 14), coordinating=[ward.bodies["ĐU"]])

    result = reminders_sweep(today=date(2026, 10, 15))

    # The handler has both items in ONE mail; the partner agency only hears of the late one.
    assert sent_to(mailoutbox) == ["handler@example.vn", "partner@example.vn", "responsible@example.vn"]
    assert (result.emails_sent, result.recipients, result.claimed) == (3, 3, 5)
    handler_mail = next(message for message in mailoutbox if message.to == ["handler@example.vn"])
    assert handler_mail.subject == "Nhắc việc ngày 15/10/2026: 1 quá hạn, 1 sắp đến hạn"
    body, html = handler_mail.body, html_of(handler_mail)
    assert body.index("QUÁ HẠN (1)") < body.index("SẮP ĐẾN HẠN (1)")
    assert "quá hạn 1 ngày" in body and "còn 1 ngày làm việc" in body
    for assignment in (soon, late):
        url = f"https://doithoai.example.vn/ket-luan/viec/{assignment.pk}/"
        assert url in body and f'href="{url}"' in html
    assert "Quá hạn (1)" in html and "Sắp đến hạn (1)" in html
    # The same items as in-app notifications, one per item.
    assert len(reminder_notifications(people["handler"])) == 2
    assert len(reminder_notifications(people["partner"])) == 1
    assert reminder_notifications(people["partner"])[0].startswith("Quá hạn: Trả lời các ý kiến")
    assert not ReminderLog.objects.filter(sent_at__isnull=True).exists()
    assert ReminderLog.objects.filter(email_sent=True).count() == 5

    mailoutbox.clear()
    again = reminders_sweep(today=date(2026, 10, 15))
    assert mailoutbox == [] and again.claimed == 0
    assert ReminderLog.objects.count() == 5


@pytest.mark.django_db
def test_delivery_fanned_out_in_batches_is_sent_once(ward, people, mailoutbox, monkeypatch):
    """The beat's sweep claims, then queues one delivery per batch of people: each batch is
    delivered once, however often its task runs."""
    monkeypatch.setattr(reminders, "USERS_PER_QUERY", 2)
    issued(ward, people, deadline=date(2026, 10, 14), coordinating=[ward.bodies["ĐU"]])
    batches = []
    result = reminders_sweep(
        today=date(2026, 10, 15), fan_out=lambda sweep_id, ids: batches.append((sweep_id, ids))
    )
    assert mailoutbox == [] and result.recipients == 3
    assert [len(ids) for _sweep, ids in batches] == [2, 1]
    assert ReminderLog.objects.filter(sent_at__isnull=True).count() == 3  # claimed, not yet sent
    for sweep_id, ids in batches * 2:  # every task delivered twice (a retry)
        reminders.reminders_deliver(sweep_id=sweep_id, recipient_ids=ids, today=date(2026, 10, 15))
    assert sent_to(mailoutbox) == ["handler@example.vn", "partner@example.vn", "responsible@example.vn"]
    assert not ReminderLog.objects.filter(sent_at__isnull=True).exists()
    assert len(reminder_notifications(people["handler"])) == 1


@pytest.mark.django_db
def test_recipients_without_email_get_notifications_only(ward, people, mailoutbox):
    people["responsible"].email = ""
    people["responsible"].save()
    issued(ward, people)
    reminders_sweep(today=date(2026, 10, 15))
    assert sent_to(mailoutbox) == ["handler@example.vn"]
    assert len(reminder_notifications(people["responsible"])) == 1
    log = ReminderLog.objects.get(recipient=people["responsible"])
    assert log.sent_at is not None and not log.email_sent


@pytest.mark.django_db
def test_after_downtime_only_the_latest_threshold_is_sent(ward, people, mailoutbox):
    issued(ward, people, responsible=False)
    reminders_sweep(today=date(2026, 10, 7))
    assert rules_logged() == ["before-7"]
    # Down from 08/10 to 14/10: the 3-day reminder (13/10) was missed; on 15/10 only the 1-day one.
    mailoutbox.clear()
    reminders_sweep(today=date(2026, 10, 15))
    assert len(mailoutbox) == 1
    assert rules_logged() == ["before-7", "before-1"]
    # Down again until 23/10: the overdue reminder of 19/10 and the leader's escalation of 22/10,
    # each once; the on-the-day reminder of 16/10 is stale and skipped.
    mailoutbox.clear()
    reminders_sweep(today=date(2026, 10, 23))
    assert sent_to(mailoutbox) == ["handler@example.vn", "leader@example.vn"]
    assert rules_logged() == ["before-7", "before-1", "overdue", "escalate-leader"]


@pytest.mark.django_db
def test_overdue_repeats_weekly(ward, people, mailoutbox):
    issued(ward, people, responsible=False)
    for day in range(19, 27):  # 19/10 … 26/10
        reminders_sweep(today=date(2026, 10, day))
    overdue = ReminderLog.objects.filter(rule__code="overdue").order_by("due_on")
    assert [(log.occurrence, log.due_on) for log in overdue] == [
        (0, date(2026, 10, 19)),
        (1, date(2026, 10, 26)),
    ]


@pytest.mark.django_db
def test_an_extension_starts_its_own_reminders(ward, people, mailoutbox):
    (assignment,) = issued(ward, people, responsible=False)
    reminders_sweep(today=date(2026, 10, 15))
    assert rules_logged(deadline=DEADLINE) == ["before-1"]

    request = services.extension_request(
        assignment=assignment,
        by=people["handler"],
        requested_deadline=date(2026, 10, 30),
        reason="Chờ đo đạc",
    )
    services.extension_decide(request=request, by=people["leader"], approve=True)
    mailoutbox.clear()
    reminders_sweep(today=date(2026, 10, 15))  # the same day: 7 working days before 30/10 is 21/10
    assert mailoutbox == []
    reminders_sweep(today=date(2026, 10, 22))
    assert sent_to(mailoutbox) == ["handler@example.vn"]
    assert "hạn 30/10/2026" in mailoutbox[0].body
    assert rules_logged(deadline=date(2026, 10, 30)) == ["before-7"]


@pytest.mark.django_db
def test_escalation_to_the_leader_after_5_days_and_the_monitor_after_15(ward, people, mailoutbox):
    issued(ward, people, responsible=False)
    reminders_sweep(today=date(2026, 10, 19))
    reminders_sweep(today=date(2026, 10, 21))  # overdue 5 days: not yet
    assert "leader@example.vn" not in sent_to(mailoutbox)
    reminders_sweep(today=date(2026, 10, 22))  # more than 5
    assert sent_to(mailoutbox).count("leader@example.vn") == 1
    leader_mail = next(message for message in mailoutbox if message.to == ["leader@example.vn"])
    assert "báo cáo lãnh đạo: quá hạn hơn 5 ngày" in leader_mail.body
    reminders_sweep(today=date(2026, 10, 31))  # overdue 15 days: not yet
    assert "monitor@example.vn" not in sent_to(mailoutbox)
    reminders_sweep(today=date(2026, 11, 2))
    assert sent_to(mailoutbox).count("monitor@example.vn") == 1
    assert sent_to(mailoutbox).count("leader@example.vn") == 1
    # The monitor and the leader hear of escalations only, never of the ordinary reminders.
    assert set(rules_logged(recipient=people["monitor"])) == {"escalate-monitor"}


@pytest.mark.django_db
def test_working_days_and_tet(ward, people, mailoutbox):
    # Tết 2026: 16/02 to 20/02 off; the working day before Monday 23/02 is Friday 13/02.
    issued(ward, people, deadline=date(2026, 2, 23), responsible=False)
    reminders_sweep(today=date(2026, 2, 12))
    assert rules_logged() == ["before-3"]
    reminders_sweep(today=date(2026, 2, 13))
    assert ReminderLog.objects.get(rule__code="before-1").due_on == date(2026, 2, 13)
    # The beat fires on weekdays; the task itself knows Tết is not a working day.
    assert reminders_send("2026-02-17") == 0
    assert reminders_send("2026-02-23") == 1
    assert rules_logged() == ["before-3", "before-1", "on-day"]


@pytest.mark.django_db
def test_calendar_overrides_move_the_thresholds(ward, people, mailoutbox):
    CalendarOverride.objects.create(day=date(2026, 10, 15), kind=CalendarOverride.Kind.DAY_OFF)
    issued(ward, people, responsible=False)
    reminders_sweep(today=date(2026, 10, 14))
    assert ReminderLog.objects.get().rule.code == "before-1"


@pytest.mark.django_db
def test_conference_without_notice_and_opinions_without_outcome(ward, people, mailoutbox):
    conference = held_conference(ward, opinions=2)  # held 30/09/2026, no notice, no outcomes
    reminders_sweep(today=date(2026, 10, 9))
    assert mailoutbox == []
    reminders_sweep(today=date(2026, 10, 12))
    assert sent_to(mailoutbox) == ["clerk@example.vn", "leader@example.vn"]
    clerk_mail = next(message for message in mailoutbox if message.to == ["clerk@example.vn"])
    assert "CẦN NHẮC (3)" in clerk_mail.body
    assert f"https://doithoai.example.vn/hoi-nghi/{conference.pk}/" in clerk_mail.body
    assert "chưa ban hành thông báo kết luận" in clerk_mail.body
    assert clerk_mail.body.count("chưa phân loại, xử lý") == 2
    leader_mail = next(message for message in mailoutbox if message.to == ["leader@example.vn"])
    assert "chưa phân loại" not in leader_mail.body  # opinions are the office's work
    mailoutbox.clear()
    reminders_sweep(today=date(2026, 10, 13))
    assert mailoutbox == []


@pytest.mark.django_db
def test_rules_are_data(ward, people, mailoutbox):
    ReminderRule.objects.filter(code="before-1").update(is_active=False)
    issued(ward, people, responsible=False)
    reminders_sweep(today=date(2026, 10, 15))
    assert rules_logged() == ["before-3"]


@pytest.mark.django_db
def test_the_version_of_a_rule_in_force_on_the_sweep_day_applies(ward, people, mailoutbox):
    old = ReminderRule.objects.get(code="before-1")
    old.valid_to = date(2026, 10, 14)
    old.full_clean()
    old.save()
    new = ReminderRule(
        code="before-1", name="Nhắc trước hạn 1 ngày làm việc (bản mới)", kind=old.kind, days=1,
        counts_working_days=True, valid_from=date(2026, 10, 15),
    )  # fmt: skip
    new.full_clean()
    new.save()
    issued(ward, people, responsible=False)
    reminders_sweep(today=date(2026, 10, 15))
    assert ReminderLog.objects.get(rule__code="before-1").rule == new


# --- exactly once ----------------------------------------------------------------------------


class FlakyBackend(LocmemBackend):
    """The locmem outbox, except that the mail server refuses the addresses in `refused`."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(message.to, (550, b"busy")))
        return super().send_messages(messages)


@pytest.mark.django_db
def test_a_failed_mail_is_sent_by_the_next_sweep(ward, people, mailoutbox, settings, monkeypatch):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    monkeypatch.setattr(FlakyBackend, "refused", {"responsible@example.vn"})
    issued(ward, people, count=2)

    first = reminders_sweep(today=date(2026, 10, 15))
    assert (first.emails_sent, first.emails_failed) == (1, 1)
    assert sent_to(mailoutbox) == ["handler@example.vn"]  # the others still got theirs
    released = ReminderLog.objects.filter(recipient=people["responsible"])
    assert [(log.sweep_id, log.sent_at, log.attempts) for log in released] == [(None, None, 1)] * 2
    assert "SMTPRecipientsRefused" in released[0].last_error
    assert reminder_notifications(people["responsible"]) == []

    monkeypatch.setattr(FlakyBackend, "refused", set())
    mailoutbox.clear()
    reminders_sweep(today=date(2026, 10, 15))
    assert sent_to(mailoutbox) == ["responsible@example.vn"]
    assert mailoutbox[0].body.count("https://doithoai.example.vn/ket-luan/viec/") == 2
    assert [(log.attempts, log.email_sent) for log in released.all()] == [(2, True)] * 2
    assert len(reminder_notifications(people["responsible"])) == 2


@pytest.mark.django_db
def test_a_retry_is_superseded_by_a_later_threshold(ward, people, mailoutbox, settings, monkeypatch):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    monkeypatch.setattr(FlakyBackend, "refused", {"responsible@example.vn"})
    issued(ward, people)
    reminders_sweep(today=date(2026, 10, 15))  # before-1 fails for the responsible person
    monkeypatch.setattr(FlakyBackend, "refused", set())
    mailoutbox.clear()
    reminders_sweep(today=date(2026, 10, 16))  # the day itself: no stale "1 day before" as well
    assert sent_to(mailoutbox) == ["handler@example.vn", "responsible@example.vn"]
    assert rules_logged(recipient=people["responsible"]) == ["on-day"]
    assert len(reminder_notifications(people["responsible"])) == 1


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_sweep_is_taken_over_after_the_lease(ward, people, mailoutbox):
    from datetime import timedelta

    from django.utils import timezone

    issued(ward, people, responsible=False)
    reminders_sweep(today=date(2026, 10, 15))
    # As if the worker had been killed after claiming and before sending.
    ReminderLog.objects.update(sent_at=None, sweep_id=uuid.uuid4(), claimed_at=timezone.now())
    mailoutbox.clear()
    reminders_sweep(today=date(2026, 10, 15))
    assert mailoutbox == []  # the claim may still be in flight
    ReminderLog.objects.update(claimed_at=timezone.now() - timedelta(hours=2))
    reminders_sweep(today=date(2026, 10, 15))
    assert sent_to(mailoutbox) == ["handler@example.vn"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_once(ward, people, mailoutbox):
    issued(ward, people, count=5)
    issued(ward, people, count=5, deadline=date(2026, 10, 14), coordinating=[ward.bodies["ĐU"]])
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            barrier.wait(timeout=10)
            results.append(reminders_sweep(today=date(2026, 10, 15)))
        except Exception as error:  # noqa: BLE001 — surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sent_to(mailoutbox) == ["handler@example.vn", "partner@example.vn", "responsible@example.vn"]
    assert sum(result.claimed for result in results) == ReminderLog.objects.count() == 10 + 10 + 5
    assert len(reminder_notifications(people["handler"])) == 10
    assert not ReminderLog.objects.filter(sent_at__isnull=True).exists()


# --- by hand, and the cost of a sweep --------------------------------------------------------


@pytest.mark.django_db
def test_dry_run_prints_and_claims_nothing(ward, people, mailoutbox):
    (assignment,) = issued(ward, people, deadline=date(2026, 10, 14))
    notifications = Notification.objects.count()
    out = StringIO()
    call_command("send_reminders", "--dry-run", "--date", "2026-10-15", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(
        "handler@example.vn" in line and assignment.task in line and "Quá hạn: ngày làm việc kế tiếp" in line
        for line in lines
    )
    assert lines[-1].startswith("Dry run 15/10/2026: 2 reminders to 2 people would be sent")
    assert mailoutbox == [] and ReminderLog.objects.count() == 0
    assert Notification.objects.count() == notifications

    call_command("send_reminders", "--date", "2026-10-15", stdout=StringIO())
    assert sent_to(mailoutbox) == ["handler@example.vn", "responsible@example.vn"]


@pytest.mark.django_db
@pytest.mark.parametrize("items", [3, 30])
def test_sweep_queries_do_not_grow_with_items(ward, people, mailoutbox, django_assert_max_num_queries, items):
    issued(ward, people, count=items, coordinating=[ward.bodies["ĐU"]], deadline=date(2026, 10, 14))
    # Deciding and claiming: 12 (rules, calendar, the deadlines, one page of assignments,
    # coordinating agencies, handlers, area people, the insert, the dates of conferences and
    # of opinions, a savepoint pair); delivering: 2 (recipients, users), the batch's rows and
    # items (4), and 5 per person, committed on their own (their lock, notifications, marking
    # sent, a savepoint pair). Nothing per item. +1: the dates of reopened opinions (issue 17).
    with django_assert_max_num_queries(36):  # one more page query on SQLite's way
        result = reminders_sweep(today=date(2026, 10, 15))
    assert result.claimed == 3 * items and len(mailoutbox) == 3


@pytest.mark.django_db
def test_large_digests_are_capped_and_read_in_pages(ward, people, mailoutbox, monkeypatch):
    from conclusions import reminders

    monkeypatch.setattr(reminders, "CHUNK_SIZE", 2)
    monkeypatch.setattr(reminders, "ROWS_PER_PAGE", 2)
    monkeypatch.setattr(reminders, "MAX_ITEMS_IN_EMAIL", 3)
    issued(ward, people, count=3, responsible=False)
    issued(ward, people, count=2, deadline=date(2026, 10, 14), responsible=False)
    result = reminders_sweep(today=date(2026, 10, 15))
    assert result.claimed == 5 and len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert mailoutbox[0].subject == "Nhắc việc ngày 15/10/2026: 2 quá hạn, 3 sắp đến hạn"
    assert "QUÁ HẠN (2)" in body and "SẮP ĐẾN HẠN (3)" in body and "và 2 việc khác" in body
    assert len(reminder_notifications(people["handler"])) == 5


# --- real SMTP, real broker, real worker -----------------------------------------------------


class Inbox:
    """An aiosmtpd handler that keeps what arrives and refuses the addresses in `refused`."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return "550 5.2.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self) -> list[str]:
        return sorted(message["To"] for message in self.messages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.mark.django_db
def test_end_to_end_over_smtp(ward, people, settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp_server.port, 5
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    smtp_server.refused = {"responsible@example.vn"}
    issued(ward, people, count=2)
    issued(ward, people, deadline=date(2026, 10, 14), coordinating=[ward.bodies["ĐU"]])

    first = reminders_sweep(today=date(2026, 10, 15))
    assert smtp_server.to() == ["handler@example.vn", "partner@example.vn"]
    assert first.emails_failed == 1
    handler_mail = next(message for message in smtp_server.messages if message["To"] == "handler@example.vn")
    assert handler_mail.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in handler_mail.get_payload()] == ["text/plain", "text/html"]

    smtp_server.refused = set()
    reminders_sweep(today=date(2026, 10, 15))
    reminders_sweep(today=date(2026, 10, 15))
    assert smtp_server.to() == ["handler@example.vn", "partner@example.vn", "responsible@example.vn"]


@pytest.mark.django_db(transaction=True)
def test_celery_worker_sends_each_reminder_once(ward, people, settings, smtp_server, tmp_path):
    """The beat's task through the real Redis broker to a real worker process, mailing over
    real SMTP. The task is queued twice (a retried task, a second beat): mail arrives once."""
    issued(ward, people, count=2)
    issued(ward, people, deadline=date(2026, 10, 14), coordinating=[ward.bodies["ĐU"]])
    queue = private_queue("reminders")
    with celery_workers(queue, log_dir=tmp_path, EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}") as [log]:
        for _ in range(2):
            reminders_send.apply_async(kwargs={"day": "2026-10-15"}, queue=queue)
        expected = ["handler@example.vn", "partner@example.vn", "responsible@example.vn"]
        delivered = wait_for(
            lambda: (
                len(smtp_server.messages) >= 3
                and ReminderLog.objects.count() == 7
                and not ReminderLog.objects.filter(sent_at__isnull=True).exists()
            ),
            seconds=30,
        )
        assert delivered, log.read_text()[-3000:]
        # Both tasks have run once the worker's log says so; then nothing more may arrive.
        assert wait_for(lambda: log.read_text().count("succeeded") >= 2, seconds=15)
        assert smtp_server.to() == expected


# --- statutory deadlines of written petitions ----------------------------------------------------


@pytest.mark.django_db
def test_written_petitions_are_chased_to_acceptance_and_resolution(ward, people, mailoutbox):
    from petitions import services as petition_services
    from tests.petitions.written_helpers import letter as log_letter

    letter = log_letter(ward, people["clerk"])  # a complaint received 06/02/2026, across Tết
    assert letter.acceptance_deadline == date(2026, 2, 23)  # 10 days end in Tết: moved to Monday

    reminders_sweep(today=date(2026, 2, 11))
    assert mailoutbox == []  # 3 working days before: nothing yet
    reminders_sweep(today=date(2026, 2, 12))  # 2 working days before (Tết is not counted)
    assert sent_to(mailoutbox) == ["clerk@example.vn", "leader@example.vn"]
    body = mailoutbox[0].body
    assert f"Đơn {letter.tracking_code}" in body and "hạn thụ lý 23/02/2026, còn 2 ngày làm việc" in body
    assert "Lê Thị Hoa" not in body and "Lê Thị Hoa" not in html_of(mailoutbox[0])  # no names in mail

    mailoutbox.clear()
    reminders_sweep(today=date(2026, 2, 26))  # three days after the deadline
    assert "hạn thụ lý 23/02/2026, quá hạn 3 ngày" in mailoutbox[0].body

    # Accepted: the resolution deadline is chased until the case is given to an agency.
    accepted = petition_services.petition_accept(
        petition=letter, by=people["clerk"], accepted_on=date(2026, 3, 2), complexity="normal"
    )
    mailoutbox.clear()
    reminders_sweep(today=add_working_days(accepted.resolution_deadline, -2))
    assert (
        f"hạn giải quyết {accepted.resolution_deadline:%d/%m/%Y}, còn 2 ngày làm việc" in mailoutbox[0].body
    )
    assert (
        ReminderLog.objects.filter(subject_type="petition_deadline", rule__code="petition-before-2").count()
        == 4
    )


# --- a worker killed mid-delivery (issue 20) ---------------------------------------------------


class WorkerKilled(BaseException):
    """What a `kill -9` looks like from inside: nothing after it runs, not even `except
    Exception`; the open transaction is rolled back by the database."""


class DyingBackend(LocmemBackend):
    """Accepts `survives` digests, then the process dies during the next one."""

    survives = 2

    def send_messages(self, messages):
        from django.core import mail

        if len(mail.outbox) >= self.survives:
            raise WorkerKilled
        return super().send_messages(messages)


@pytest.mark.django_db
def test_a_worker_killed_mid_batch_sends_each_digest_once(ward, people, mailoutbox, settings):
    """Measured before the fix: the batch's marks were one transaction, rolled back by the kill,
    and the redelivered task mailed the people already served a second time."""
    settings.EMAIL_BACKEND = f"{__name__}.DyingBackend"
    issued(ward, people, deadline=date(2026, 10, 14), coordinating=[ward.bodies["ĐU"]])
    batches = []
    reminders_sweep(today=date(2026, 10, 15), fan_out=lambda sweep_id, ids: batches.append((sweep_id, ids)))
    ((sweep_id, ids),) = batches
    with pytest.raises(WorkerKilled):
        reminders.reminders_deliver(sweep_id=sweep_id, recipient_ids=ids, today=date(2026, 10, 15))
    assert len(mailoutbox) == 2
    assert ReminderLog.objects.filter(sent_at__isnull=False).count() == 2  # their marks committed
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The worker restarts: what was left is resumed at once, and the redelivered task later
    # finds nothing to send.
    assert reminders.reminders_resume() == 1
    reminders.reminders_deliver(sweep_id=sweep_id, recipient_ids=ids, today=date(2026, 10, 15))
    assert sent_to(mailoutbox) == ["handler@example.vn", "partner@example.vn", "responsible@example.vn"]
    assert not ReminderLog.objects.filter(sent_at__isnull=True).exists()
    assert len(reminder_notifications(people["responsible"])) == 1


@pytest.mark.django_db
def test_the_beat_resumes_only_deliveries_left_long_enough(ward, people, mailoutbox):
    from datetime import timedelta

    from django.utils import timezone

    from conclusions.tasks import reminders_resume_left

    issued(ward, people)
    reminders_sweep(today=date(2026, 10, 15), fan_out=lambda sweep_id, ids: None)  # queued, not run
    assert reminders_resume_left() == 0 and mailoutbox == []  # may still be waiting in the queue
    ReminderLog.objects.update(claimed_at=timezone.now() - timedelta(minutes=11))
    assert reminders_resume_left() == 2
    assert sent_to(mailoutbox) == ["handler@example.vn", "responsible@example.vn"]


@pytest.mark.django_db
def test_a_starting_worker_queues_pending_pdfs_and_left_reminders(monkeypatch):
    from types import SimpleNamespace

    from conclusions import tasks

    queued = []
    monkeypatch.setattr(
        tasks.notices_render_pending, "apply_async", lambda **options: queued.append(("pdfs", options))
    )
    monkeypatch.setattr(
        tasks.reminders_resume_left, "apply_async", lambda **options: queued.append(("reminders", options))
    )
    worker = SimpleNamespace(
        app=SimpleNamespace(amqp=SimpleNamespace(queues=SimpleNamespace(consume_from={"q1": 1})))
    )
    tasks._queue_what_waits(sender=worker)
    assert queued == [
        ("pdfs", {"queue": "q1"}),
        ("reminders", {"kwargs": {"on_worker_start": True}, "queue": "q1"}),
    ]
