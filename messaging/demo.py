"""Demo message log: the demo citizens who consented (petitions/demo.py) are told their
letters were received, and a declined one that it was closed. Always through the file
backend, delivered here and now, whatever the settings: demo numbers are never messaged.
Idempotent: opinions that already have messages are left alone."""

from __future__ import annotations

from django.test.utils import override_settings

from messaging.models import CitizenMessage
from messaging.services import messages_claim, messages_deliver
from petitions.events import CitizenEvent
from petitions.models import Petition

FILE_ONLY = {"sms": "file", "zalo": "off", "email": "file"}


def seed(*, stdout, scale: float) -> None:
    waiting = list(
        Petition.objects.filter(message_consent=True)
        .exclude(pk__in=CitizenMessage.objects.values("petition"))
        .values_list("pk", "outcome")
    )
    if not waiting:
        return
    with override_settings(CITIZEN_MESSAGE_BACKENDS=FILE_ONLY):
        batches = [
            messages_claim(kind=CitizenEvent.RECEIVED, petition_ids=[pk for pk, _o in waiting], data={})
        ]
        declined = [pk for pk, outcome in waiting if outcome == Petition.Outcome.REJECTED]
        batches.append(
            messages_claim(kind=CitizenEvent.CLOSED, petition_ids=declined, data={"reason": "rejected"})
        )
        for batch in filter(None, batches):
            messages_deliver(batch=batch)
    stdout.write(f"Tin nhắn mẫu: {CitizenMessage.objects.count()} (ghi ra tệp, không gửi đi)\n")
