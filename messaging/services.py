"""Messages to citizens: claimed once, delivered once (docs/MESSAGES.md).

1. **Claim** (`messages_claim`, run when an event's transaction has committed): for the
   opinions of the event whose citizen consented, has a contact and did not opt out, one
   `CitizenMessage` per enabled channel is inserted with `INSERT … ON CONFLICT DO NOTHING` on
   the unique (opinion, event, occurrence, channel): a second announcement of the same event
   inserts nothing. The rows carry this claim's batch id; the delivery task is queued in the
   same transaction (delay_on_commit), so it never runs before the rows exist.
2. **Deliver** (`messages_deliver`, the Celery task): a chunk of the batch's pending rows is
   locked (`FOR UPDATE SKIP LOCKED`: a second worker takes other rows or none) and marked
   `sending` in one committed transaction, then sent, then marked `sent` (or back to
   `pending` for a retry with backoff, `failed` after the last attempt) in one UPDATE.
   A row is sent only by the worker that moved it from pending to sending: a retried task, a
   duplicated task or a second worker never sends it again. A worker killed while sending
   leaves its chunk `sending`; after MESSAGES_SENDING_LEASE the resume sweep marks those
   `unknown` (never resent by itself: the clerk decides on the opinion's page).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from messaging import ports
from messaging.channels import backend_for, enabled_channels
from messaging.models import CitizenMessage, MessageOptOut
from messaging.texts import compose
from petitions import ports as petition_ports
from petitions.contact import is_mobile
from petitions.models import Petition

logger = logging.getLogger(__name__)

CLAIM_CHUNK = 1000  # opinions read and rows inserted per query
Status = CitizenMessage.Status
CANNOT_RETRY = _("Tin này đã gửi được hoặc đang gửi: không gửi lại.")
OPTED_OUT = _("Công dân đã ngừng nhận tin về ý kiến này.")


def event_key(data: dict) -> str:
    """Which occurrence of an event a message belongs to: given by the announcer as `key`
    (an assignment, an extension, an answer), "" for events that happen once."""
    for name in ("key", "answer", "assignment"):
        if data.get(name):
            return str(data[name])[:64]
    return ""


def tracking_link(code: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{petition_ports.tracking_url()}?ma={code}"


def opt_out_token(tracking_code: str) -> str:
    """The key of the opt-out link: whoever holds the tracking code's message may stop them,
    nobody can make one for another code."""
    return salted_hmac("messaging.opt-out", tracking_code).hexdigest()[:24]


def opt_out_link(tracking_code: str) -> str:
    path = ports.opt_out_path()(tracking_code, opt_out_token(tracking_code))
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _messages_for(row: dict, kind: str, key: str, data: dict, channels: list[str], batch) -> list:
    message = compose(
        kind=kind, code=row["tracking_code"], url=tracking_link(row["tracking_code"]), data=data
    )
    common = {"petition_id": row["pk"], "kind": kind, "event_key": key, "batch": batch}
    phone, email = row["petitioner_phone"], row["petitioner_email"]
    rows = []
    if "sms" in channels and is_mobile(phone):
        rows.append(CitizenMessage(channel="sms", recipient=phone, text=message.sms, **common))
    if "zalo" in channels and is_mobile(phone):
        rows.append(
            CitizenMessage(
                channel="zalo", recipient=phone, text=message.text, params=message.params, **common
            )
        )
    if "email" in channels and email:
        footer = _("Ngừng nhận tin về ý kiến này: {link}").format(link=opt_out_link(row["tracking_code"]))
        rows.append(
            CitizenMessage(
                channel="email",
                recipient=email,
                subject=message.subject,
                text=f"{message.text}\n\n{footer}",
                **common,
            )
        )
    return rows


@transaction.atomic
def messages_claim(*, kind: str, petition_ids: list[int], data: dict) -> uuid.UUID | None:
    """Claim the messages of one event (see the module's docstring); the batch id, or None
    when nothing is to be sent. Two queries per CLAIM_CHUNK opinions, whatever the channels."""
    channels = enabled_channels()
    if not channels or not petition_ids:
        return None
    batch, key = uuid.uuid4(), event_key(data)
    opted_out = MessageOptOut.objects.filter(petition=OuterRef("pk"))
    claimed = 0
    for chunk in _chunks(sorted(petition_ids), CLAIM_CHUNK):
        rows = (
            Petition.objects.filter(pk__in=chunk, message_consent=True)
            .exclude(Exists(opted_out))
            .values("pk", "tracking_code", "petitioner_phone", "petitioner_email")
        )
        messages = [
            message for row in rows for message in _messages_for(row, kind, key, data, channels, batch)
        ]
        if messages:
            CitizenMessage.objects.bulk_create(messages, ignore_conflicts=True)
            claimed += len(messages)
    if not claimed:
        return None
    queue_delivery(batch)
    return batch


def queue_delivery(batch) -> None:
    """The delivery task, queued when the claim commits (never before its rows exist), on
    MESSAGES_QUEUE (slow gateways need not hold up the other tasks)."""
    from messaging.tasks import messages_deliver_batch

    transaction.on_commit(
        lambda: messages_deliver_batch.apply_async(args=[str(batch)], queue=settings.MESSAGES_QUEUE)
    )


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0  # given up: visible to the clerk
    to_retry: list[int] = field(default_factory=list)  # back to pending, for the task's retry


def _take_chunk(batch, skip: list[int], size: int) -> list[CitizenMessage]:
    """Lock and mark `sending` the next pending rows of the batch, committed at once."""
    with transaction.atomic():
        rows = list(
            CitizenMessage.objects.select_for_update(skip_locked=True)
            .filter(batch=batch, status=Status.PENDING)
            .exclude(pk__in=skip)
            .order_by("pk")[:size]
        )
        if rows:
            now = timezone.now()
            CitizenMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
                status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
            for row in rows:
                row.status, row.claimed_at, row.attempts = Status.SENDING, now, row.attempts + 1
    return rows


def _send(row: CitizenMessage, result: Delivery) -> None:
    try:
        row.provider_id = backend_for(row.channel).send(row)
    except Exception as error:  # noqa: BLE001 — a refusal, a timeout, a bug: kept in the log
        row.last_error = (str(error) or type(error).__name__)[:500]
        if row.attempts >= settings.MESSAGES_MAX_ATTEMPTS:
            row.status = Status.FAILED
            result.failed += 1
        else:
            row.status = Status.PENDING
            result.to_retry.append(row.pk)
        logger.warning("Message %s by %s not delivered: %s", row.pk, row.channel, row.last_error)
    else:
        row.status, row.sent_at, row.last_error = Status.SENT, timezone.now(), ""
        result.sent += 1


def messages_deliver(*, batch) -> Delivery:
    """Send the batch's pending messages, chunk by chunk (three queries a chunk)."""
    result = Delivery()
    size = settings.MESSAGES_DELIVERY_CHUNK
    while rows := _take_chunk(batch, result.to_retry, size):
        for row in rows:
            _send(row, result)
        CitizenMessage.objects.bulk_update(rows, ["status", "sent_at", "last_error", "provider_id"])
    return result


@transaction.atomic
def message_retry(*, message: CitizenMessage, by: User) -> CitizenMessage:
    """The clerk sends a failed (or lost) message again, as a batch of its own."""
    message = CitizenMessage.objects.select_for_update().get(pk=message.pk)
    if not message.can_retry:
        raise ValidationError(CANNOT_RETRY)
    if MessageOptOut.objects.filter(petition=message.petition_id).exists():
        raise ValidationError(OPTED_OUT)
    message.status, message.batch = Status.PENDING, uuid.uuid4()
    message.save(update_fields=["status", "batch"])
    logger.info("Message %s queued again by %s", message.pk, by.pk)
    queue_delivery(message.batch)
    return message


@transaction.atomic
def messages_opt_out(*, petition: Petition) -> bool:
    """No more messages about this opinion; those still waiting are cancelled. False when it
    was already done."""
    _opt_out, created = MessageOptOut.objects.get_or_create(petition=petition)
    CitizenMessage.objects.filter(petition=petition, status=Status.PENDING).update(status=Status.CANCELLED)
    return created


def messages_resume() -> int:
    """The beat's sweep: batches whose task was lost are queued again; rows a killed worker
    left `sending` beyond the lease become `unknown` (not resent: maybe they were). Returns
    the number of batches queued."""
    from messaging.tasks import messages_deliver_batch

    now = timezone.now()
    CitizenMessage.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - timedelta(seconds=settings.MESSAGES_SENDING_LEASE)
    ).update(
        status=Status.UNKNOWN, last_error=str(_("Tiến trình gửi dừng giữa chừng: không rõ đã gửi chưa."))
    )
    stale = now - timedelta(seconds=settings.MESSAGES_SENDING_LEASE)
    batches = list(
        CitizenMessage.objects.filter(status=Status.PENDING, created_at__lt=stale)
        .values_list("batch", flat=True)
        .distinct()[:1000]
    )
    for batch in batches:
        messages_deliver_batch.apply_async(args=[str(batch)], queue=settings.MESSAGES_QUEUE)
    return len(batches)
