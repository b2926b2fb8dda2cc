"""What the citizen is told, in Vietnamese, short. Every message has two forms:

- the full text, with Vietnamese marks (e-mail, the log, Zalo's parameters);
- the SMS text: the same words unaccented ("Da tiep nhan..."), only characters of the GSM-7
  basic alphabet, at most 160 characters: ONE segment. Operators count a message with a
  single Vietnamese mark as Unicode (UCS-2), 70 characters a segment, and charge each segment.

A long agency name is shortened (common words abbreviated as offices write them, then cut at
a word with "...") so that the SMS always fits; tests/messaging/test_texts.py checks every
event with worst-case values.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from petitions.events import CitizenEvent

SMS_LIMIT = 160
ELLIPSIS = "..."
# GSM 03.38 basic characters that are also ASCII; the extension table ([ ] { } \ ^ ~ | €)
# costs two septets each and some gateways mangle it, so it is left out too.
_GSM7_ASCII = set(" !\"#%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_$\n")
_PLAIN = str.maketrans({"đ": "d", "Đ": "D", "–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'"})
# How offices shorten the names of bodies (longest first).
_ABBREVIATIONS = (
    ("Ủy ban Mặt trận Tổ quốc Việt Nam", "UBMTTQ"),
    ("Ủy ban nhân dân", "UBND"),
    ("Uỷ ban nhân dân", "UBND"),
    ("Hội đồng nhân dân", "HĐND"),
    ("Thành phố", "TP"),
    ("thành phố", "TP"),
)


def unaccented(text: str) -> str:
    """Vietnamese folded to GSM-7: marks dropped, đ → d, anything else outside the alphabet
    dropped (an emoji, a bracket)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_PLAIN))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in plain if ch in _GSM7_ASCII)


def is_one_segment(text: str) -> bool:
    return len(text) <= SMS_LIMIT and all(ch in _GSM7_ASCII for ch in text)


def short_name(name: str) -> str:
    for long, short in _ABBREVIATIONS:
        name = name.replace(long, short)
    return re.sub(r"\s+", " ", name).strip()


def cut(text: str, room: int) -> str:
    """`text` in at most `room` characters, cut at a word with "..." when it is longer."""
    if len(text) <= room:
        return text
    if room <= len(ELLIPSIS):
        return text[: max(room, 0)]
    head = text[: room - len(ELLIPSIS)]
    if " " in head and not text[room - len(ELLIPSIS)].isspace():
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,.-") + ELLIPSIS


@dataclass(frozen=True)
class Message:
    subject: str  # e-mail subject
    text: str  # the full text, with marks
    sms: str  # one GSM-7 segment
    params: dict  # Zalo template parameters


def _template(kind: str, reason: str) -> str:
    """The sentence of an event; {name} is the one part that may be shortened."""
    if kind == CitizenEvent.RECEIVED:
        return _("Đã tiếp nhận ý kiến của bạn, mã tra cứu {code}. Theo dõi tại {url}")
    if kind == CitizenEvent.ASSIGNED:
        return _("Ý kiến {code} đã được giao {name} giải quyết, hạn {deadline}. Xem {url}")
    if kind == CitizenEvent.EXTENDED:
        return _("Ý kiến {code}: hạn giải quyết được gia hạn đến {deadline}. Xem {url}")
    if kind == CitizenEvent.ANSWERED:
        return _("Ý kiến {code} đã có trả lời của {name}. Xem tại {url}")
    if reason == "transferred":
        return _("Ý kiến {code} đã được chuyển đến {name} giải quyết theo thẩm quyền. Xem {url}")
    if reason == "duplicate":
        return _("Ý kiến {code} trùng nội dung ý kiến khác, được gộp để giải quyết chung. Xem {url}")
    if reason == "rejected":
        return _("Ý kiến {code} không được tiếp nhận giải quyết. Lý do xem tại {url}")
    return _("Ý kiến {code} đã được giải quyết xong. Xem {url}")


SUBJECTS = {
    CitizenEvent.RECEIVED: gettext_lazy("Đã tiếp nhận ý kiến {code}"),
    CitizenEvent.ASSIGNED: gettext_lazy("Ý kiến {code} đã được giao giải quyết"),
    CitizenEvent.EXTENDED: gettext_lazy("Ý kiến {code} được gia hạn giải quyết"),
    CitizenEvent.ANSWERED: gettext_lazy("Ý kiến {code} đã có trả lời"),
    CitizenEvent.CLOSED: gettext_lazy("Ý kiến {code} đã kết thúc"),
}


def _name_for(kind: str, data: dict) -> str:
    if kind == CitizenEvent.CLOSED:
        return data.get("transferred_to", "") or ""
    return data.get("agency", "") or ""


def _deadline(data: dict) -> str:
    value = data.get("deadline")
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{day:%d/%m/%Y}"


def compose(*, kind: str, code: str, url: str, data: dict) -> Message:
    """The message of one event for one opinion."""
    reason = data.get("reason", "")
    template = _template(kind, reason)
    name = short_name(_name_for(kind, data))
    values = {"code": code, "url": url, "deadline": _deadline(data)}
    text = template.format(name=name, **values)
    # The SMS: everything but the name is fixed; the name gets what is left of 160.
    fixed = unaccented(template.format(name="", **values))
    room = SMS_LIMIT - len(fixed)
    sms = unaccented(template.format(name=cut(unaccented(name), room), **values))
    if len(sms) > SMS_LIMIT:  # a very long site address: the address goes last, keep the rest
        sms = cut(sms, SMS_LIMIT)
    params = {"ma_tra_cuu": code, "co_quan": name, "han": values["deadline"], "duong_dan": url}
    return Message(subject=str(SUBJECTS[kind]).format(code=code), text=text, sms=sms, params=params)
