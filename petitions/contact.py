"""The citizen's contact for messages about their opinion: a Vietnamese phone number and an
e-mail address, and their consent to be messaged (issue 17). A contact is identity: it is
protected like the name (never in lists, exports or the API for a denunciation).

Numbers are stored in one form, `0` and the subscriber digits ("0912345678"), whatever was
typed ("+84 912 345 678", "0912.345.678", "84912345678"). Mobile numbers have 10 digits and
begin 03, 05, 07, 08 or 09 (the mobile codes of the numbering plan since the 2018 change from
11 to 10 digits); fixed lines have 11 digits and begin 02 (area codes since 2017). Only a
mobile number receives SMS or Zalo messages. The prefixes are here, in one place, should the
plan change (see docs/MESSAGES.md).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

MOBILE = re.compile(r"^0[35789]\d{8}$")
FIXED_LINE = re.compile(r"^02\d{9}$")
_SEPARATORS = re.compile(r"[\s.\-()]")

BAD_PHONE = _(
    "Số điện thoại không đúng: số di động gồm 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09 "
    "(ví dụ 0912 345 678); số cố định gồm 11 chữ số bắt đầu bằng 02."
)
BAD_EMAIL = _("Địa chỉ e-mail không đúng (ví dụ: nguyenvanan@gmail.com).")
CONSENT_NEEDS_CONTACT = _(
    "Người nêu đồng ý nhận tin: hãy ghi số điện thoại di động hoặc địa chỉ e-mail để gửi tin."
)


def normalize_phone(raw: str | None) -> str:
    """The number in its stored form, or "" when none was given; ValidationError(BAD_PHONE)
    when what was typed is not a Vietnamese phone number."""
    text = _SEPARATORS.sub("", raw or "")
    if not text:
        return ""
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) in (11, 12):
        text = "0" + text[2:]
    if MOBILE.match(text) or FIXED_LINE.match(text):
        return text
    raise ValidationError(BAD_PHONE, code="bad_phone")


def is_mobile(phone: str) -> bool:
    return bool(MOBILE.match(phone or ""))


def normalize_email(raw: str | None) -> str:
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise ValidationError(BAD_EMAIL, code="bad_email") from None
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def contact_errors(*, phone: str, email: str, consent: bool) -> dict[str, list]:
    """Every problem with a contact, by field (the forms show each beside its field)."""
    problems: dict[str, list] = {}
    normalized_phone = ""
    try:
        normalized_phone = normalize_phone(phone)
    except ValidationError as error:
        problems["petitioner_phone"] = list(error.messages)
    try:
        normalized_email = normalize_email(email)
    except ValidationError as error:
        problems["petitioner_email"] = list(error.messages)
        normalized_email = "invalid"
    if consent and not problems and not (is_mobile(normalized_phone) or normalized_email):
        problems["message_consent"] = [CONSENT_NEEDS_CONTACT]
    return problems
