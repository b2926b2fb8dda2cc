"""Celery tasks of conclusion notices: thin, idempotent, safe to run twice."""

from __future__ import annotations

import logging
import uuid
from datetime import date, timedelta
from functools import partial

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.utils import timezone

from conclusions.models import ConclusionNotice
from conclusions.pdf import notice_pdf_store
from conclusions.reminders import reminders_deliver, reminders_resume, reminders_sweep
from core.calendar import is_working_day

logger = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 30


def _pending(notice_id: int) -> ConclusionNotice | None:
    """The issued notice still waiting for its PDF, or None when there is nothing to do."""
    notice = (
        ConclusionNotice.objects.select_related("issuing_body", "area__parent", "signer", "amends")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None or not notice.is_issued or notice.pdf_sha256:
        return None
    return notice


@shared_task(bind=True, max_retries=5)
def notice_render_pdf(self, notice_id: int) -> None:
    notice = _pending(notice_id)
    if notice is None:
        return
    try:
        notice_pdf_store(notice=notice)
    except Exception as exc:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            # In-process (no broker, `make run`): retrying on the spot cannot help; the
            # notice stays "PDF pending" and the periodic sweep tries again.
            logger.exception("PDF of notice %s failed; left pending", notice_id)
            return
        # Storage or rendering hiccups pass; back off 30 s, 1 min, 2 min… and then the
        # periodic sweep is the safety net.
        raise self.retry(exc=exc, countdown=RETRY_BASE_SECONDS * 2**self.request.retries) from exc


@shared_task
def notices_render_pending() -> int:
    """Render every issued notice still without its PDF (a queued task was lost, the broker
    was down at issue, or retries ran out). One failure is logged and the sweep goes on."""
    ids = ConclusionNotice.objects.issued().filter(pdf_sha256="").order_by("pk").values_list("pk", flat=True)
    rendered = 0
    for notice_id in ids.iterator():
        try:
            notice = _pending(notice_id)
            if notice is None:
                continue
            notice_pdf_store(notice=notice)
        except Exception:
            logger.exception("PDF of notice %s failed; it stays pending for the next sweep", notice_id)
            continue
        rendered += 1
    return rendered


@shared_task(bind=True)
def reminders_send(self, day: str | None = None) -> int:
    """The daily reminder sweep (beat: 07:00 Monday to Friday). Public holidays fall on
    weekdays too, so the task skips days off itself. Safe to run twice, by a retry or a second
    beat: the sent-log's claims let every reminder out once. `day` (ISO date) runs the sweep as
    of another day."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    if not is_working_day(today):
        logger.info("Reminder sweep skipped: %s is not a working day", today)
        return 0
    # Delivery follows the sweep to its queue (the workers that took the sweep take the mail).
    queue = (self.request.delivery_info or {}).get("routing_key") or None
    result = reminders_sweep(today=today, fan_out=partial(_queue_delivery, today=today, queue=queue))
    return result.recipients


def _queue_delivery(sweep_id, recipient_ids: list[int], *, today: date, queue: str | None) -> None:
    reminders_deliver_batch.apply_async((str(sweep_id), recipient_ids, today.isoformat()), queue=queue)


@shared_task(acks_late=True)
def reminders_deliver_batch(sweep_id: str, recipient_ids: list[int], day: str) -> int:
    """One batch of a sweep's digests and notifications; a rerun sends nothing twice."""
    result = reminders_deliver(
        sweep_id=uuid.UUID(sweep_id), recipient_ids=recipient_ids, today=date.fromisoformat(day)
    )
    return result.emails_sent


# A delivery task queued this long ago and still unsent is taken over by the beat's resume
# (a worker died with it; the broker would redeliver it only after its visibility timeout).
RESUME_AFTER = timedelta(minutes=10)


@shared_task
def reminders_resume_left(on_worker_start: bool = False) -> int:
    """Deliver reminders a dead delivery left claimed. At a worker's start everything left is
    taken (the worker that died may be this one); from the beat, only claims older than
    RESUME_AFTER, so deliveries still waiting in the queue are left to their own task."""
    claimed_before = None if on_worker_start else timezone.now() - RESUME_AFTER
    return reminders_resume(claimed_before=claimed_before)


@worker_ready.connect
def _queue_what_waits(sender=None, **kwargs) -> None:
    """A worker starting after a broker outage or a crash: the PDFs still pending and the
    reminders left claimed are queued now, not at the next 5-minute sweep or after an hour.
    On a queue this worker consumes, so that it is this worker that takes them."""
    queue = _first_queue(sender)
    notices_render_pending.apply_async(queue=queue)
    reminders_resume_left.apply_async(kwargs={"on_worker_start": True}, queue=queue)


def _first_queue(consumer) -> str | None:
    try:
        return next(iter(consumer.app.amqp.queues.consume_from))
    except (AttributeError, StopIteration):
        return None  # the default queue
