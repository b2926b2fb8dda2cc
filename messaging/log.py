"""An opinion's message log as staff may read it: the page's section and the API field. The
recipient is a contact, so identity: shown masked, and for a denunciation only to those who
may see the denouncer (Petition.identity_visible_to)."""

from __future__ import annotations

from messaging.models import CitizenMessage, MessageOptOut


def messages_of(petition) -> list[CitizenMessage]:
    return list(CitizenMessage.objects.filter(petition=petition).order_by("-created_at", "-pk")[:200])


def recipient_for(message: CitizenMessage, petition, user) -> str:
    return message.masked_recipient if petition.identity_visible_to(user) else ""


def staff_message_log(petition, user) -> dict:
    messages = messages_of(petition)
    identity = petition.identity_visible_to(user)
    return {
        "consent": petition.message_consent,
        "opted_out": MessageOptOut.objects.filter(petition=petition).exists(),
        "messages": [
            {
                "id": message.pk,
                "kind": message.kind,
                "channel": message.channel,
                "recipient": message.masked_recipient if identity else "",
                "text": message.text,
                "status": message.status,
                "attempts": message.attempts,
                "last_error": message.last_error,
                "created_at": message.created_at,
                "sent_at": message.sent_at,
            }
            for message in messages
        ],
    }
