"""The channels a message goes by, behind one interface: `backend_for(channel).send(message)`
returns the provider's message id or raises DeliveryError.

Which backend serves each channel is set in the environment (config/settings.py,
CITIZEN_MESSAGE_BACKENDS; docs/MESSAGES.md):

| channel | backends |
|---|---|
| sms   | off, console, file, http (a brand-name SMS gateway: SMS_GATEWAY_*) |
| zalo  | off, console, file, zns (Zalo Notification Service: ZALO_ZNS_*) |
| email | off, console, file, django (Django's mail backend: EMAIL_URL) |

Nothing leaves the machine unless `http`, `zns` or `django` (with a real EMAIL_URL) is set.
The message's key (`doithoai-<id>`) goes with every request: gateways that keep a client
request id (and ZNS's `tracking_id`) can refuse a repeat of it.
"""

from __future__ import annotations

import base64
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path
from string import Template

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from messaging.models import CitizenMessage


class DeliveryError(Exception):
    """The channel did not take the message; `str()` says why (kept in the log)."""


def message_key(message: CitizenMessage) -> str:
    return f"doithoai-{message.pk}"


class Backend:
    def send(self, message: CitizenMessage) -> str:
        raise NotImplementedError


class ConsoleBackend(Backend):
    """For `make run`: the message printed where the worker (or runserver) logs."""

    def send(self, message: CitizenMessage) -> str:
        body = message.text
        sys.stdout.write(f"[{message.channel} → {message.recipient}] {body}\n")
        sys.stdout.flush()
        return message_key(message)


class FileBackend(Backend):
    """For `make run` and the demo: one JSON line per message in MESSAGES_FILE_DIR."""

    def send(self, message: CitizenMessage) -> str:
        folder = Path(settings.MESSAGES_FILE_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        line = {
            "at": timezone.now().isoformat(),
            "key": message_key(message),
            "channel": message.channel,
            "to": message.recipient,
            "subject": message.subject,
            "text": message.text,
            "params": message.params,
        }
        with (folder / f"{message.channel}.jsonl").open("a", encoding="utf-8") as file:
            file.write(json.dumps(line, ensure_ascii=False) + "\n")
        return message_key(message)


def _post_json(url: str, body: dict, headers: dict) -> tuple[int, str]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.MESSAGES_HTTP_TIMEOUT) as response:
            return response.status, response.read(4000).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code}: {error.read(300).decode('utf-8', 'replace')}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise DeliveryError(f"{type(error).__name__}: {error}") from None


def _fill(template, values: dict):
    """The gateway's JSON body template with $phone, $text, $brandname, $id filled in every
    string (so a value is always escaped as JSON)."""
    if isinstance(template, dict):
        return {key: _fill(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [_fill(value, values) for value in template]
    if isinstance(template, str):
        return Template(template).safe_substitute(values)
    return template


def international(phone: str) -> str:
    """0912345678 → 84912345678, the form gateways and Zalo take."""
    return "84" + phone[1:] if phone.startswith("0") else phone


class HttpSmsBackend(Backend):
    """A brand-name SMS gateway: one POST per message, JSON body from SMS_GATEWAY_BODY, basic
    authentication from SMS_GATEWAY_USER / SMS_GATEWAY_PASSWORD. A 2xx answer is accepted
    unless its JSON carries a non-zero SMS_GATEWAY_ERROR_FIELD."""

    def send(self, message: CitizenMessage) -> str:
        values = {
            "phone": international(message.recipient),
            "text": message.text,
            "brandname": settings.SMS_GATEWAY_BRANDNAME,
            "id": message_key(message),
        }
        headers = {}
        if settings.SMS_GATEWAY_USER:
            pair = f"{settings.SMS_GATEWAY_USER}:{settings.SMS_GATEWAY_PASSWORD}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        _status, text = _post_json(
            settings.SMS_GATEWAY_URL, _fill(settings.SMS_GATEWAY_BODY, values), headers
        )
        answer = _json_or_empty(text)
        error_field = settings.SMS_GATEWAY_ERROR_FIELD
        if error_field and str(answer.get(error_field, 0)) not in ("0", "", "None"):
            raise DeliveryError(f"{error_field}={answer.get(error_field)}: {text[:300]}")
        return str(answer.get("id") or answer.get("message_id") or values["id"])[:100]


class ZaloZnsBackend(Backend):
    """Zalo Notification Service: POST {phone, template_id, template_data, tracking_id} with the
    Official Account's access token; the answer's `error` is 0 when taken."""

    def send(self, message: CitizenMessage) -> str:
        template_id = settings.ZALO_ZNS_TEMPLATES.get(message.kind)
        if not template_id:
            raise DeliveryError(f"ZALO_ZNS_TEMPLATES has no template for {message.kind!r}")
        limit = settings.ZALO_ZNS_PARAM_LENGTH
        body = {
            "phone": international(message.recipient),
            "template_id": template_id,
            "template_data": {key: str(value)[:limit] for key, value in message.params.items()},
            "tracking_id": message_key(message),
        }
        _status, text = _post_json(
            settings.ZALO_ZNS_URL, body, {"access_token": settings.ZALO_ZNS_ACCESS_TOKEN}
        )
        answer = _json_or_empty(text)
        if answer.get("error", 0) != 0:
            raise DeliveryError(f"Zalo error {answer.get('error')}: {answer.get('message', '')}"[:500])
        return str((answer.get("data") or {}).get("msg_id") or message_key(message))[:100]


class DjangoEmailBackend(Backend):
    """E-mail through Django's mail backend (EMAIL_URL), as the reminders go."""

    def send(self, message: CitizenMessage) -> str:
        mail = EmailMessage(subject=message.subject, body=message.text, to=[message.recipient])
        mail.extra_headers["X-Doithoai-Message"] = message_key(message)
        try:
            mail.send()
        except Exception as error:  # noqa: BLE001 — SMTP refusals, connection errors: a failed delivery
            raise DeliveryError(f"{type(error).__name__}: {error}") from None
        return message_key(message)


def _json_or_empty(text: str) -> dict:
    try:
        answer = json.loads(text)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


BACKENDS = {
    "console": ConsoleBackend,
    "file": FileBackend,
    "http": HttpSmsBackend,
    "zns": ZaloZnsBackend,
    "django": DjangoEmailBackend,
}
REAL_BACKENDS = {"sms": "http", "zalo": "zns", "email": "django"}


def backend_name(channel: str) -> str:
    return settings.CITIZEN_MESSAGE_BACKENDS.get(channel, "off") or "off"


def enabled_channels() -> list[str]:
    return [channel for channel in CitizenMessage.Channel.values if backend_name(channel) != "off"]


def backend_for(channel: str) -> Backend:
    return BACKENDS[backend_name(channel)]()
