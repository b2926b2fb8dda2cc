"""The messages listen to the opinions' events (petitions/events.py), after commit."""

import logging

from django.dispatch import receiver

from messaging.services import messages_claim
from petitions.events import CitizenEvent, citizen_event

logger = logging.getLogger(__name__)


@receiver(citizen_event, sender=CitizenEvent, dispatch_uid="messaging.claim")
def claim_messages(sender, *, kind: str, petition_ids: list[int], data: dict, **_kwargs) -> None:
    # The event's own change is committed already: a failure here must not turn the clerk's
    # saved work into an error page. It is logged; the message is not claimed.
    try:
        messages_claim(kind=kind, petition_ids=petition_ids, data=data)
    except Exception:
        logger.exception("Messages of %s for %d opinions not claimed", kind, len(petition_ids))
