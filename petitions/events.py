"""Events in an opinion's life that its citizen is told about, announced by whoever causes them.

The services that cause an event (petitions' own, conclusions' assignments and acceptance)
call `announce(...)` inside their transaction; receivers connected to `citizen_event` (the
messages to the citizen, issue 17) run only after that transaction commits, so a rolled-back
change never sends anything. The sender knows nothing of who listens: `petitions` stays below
the apps that listen.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal


class CitizenEvent:
    """The kinds of event, as stored in message keys and logs (never renamed)."""

    RECEIVED = "received"  # logged: tracking code issued
    ASSIGNED = "assigned"  # an agency was given the work, with a deadline
    EXTENDED = "extended"  # the resolution deadline moved
    ANSWERED = "answered"  # an answer became official
    CLOSED = "closed"  # resolved, transferred, merged or declined

    ALL = (RECEIVED, ASSIGNED, EXTENDED, ANSWERED, CLOSED)


# Sent with sender=CitizenEvent, kind=<one of CitizenEvent.ALL>, petition_ids=[...], data={...}.
citizen_event = Signal()


def announce(*, kind: str, petition_ids: Iterable[int], data: dict | None = None) -> None:
    """Tell the listeners, once the current transaction commits, that `kind` happened to these
    opinions. `data` carries what the message needs beyond the opinion (a deadline, an agency's
    name, an answer's id) as plain values."""
    if kind not in CitizenEvent.ALL:
        raise ValueError(f"unknown citizen event {kind!r}")
    ids = sorted(set(petition_ids))
    if not ids:
        return
    payload = dict(data or {})
    transaction.on_commit(
        lambda: citizen_event.send(sender=CitizenEvent, kind=kind, petition_ids=ids, data=payload),
        robust=False,
    )
