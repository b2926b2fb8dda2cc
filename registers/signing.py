"""The signature block of a body's documents (Decree 30/2020/NĐ-CP, Điều 13 thẩm quyền ký, and
Phụ lục I on its layout; Party documents: Hướng dẫn 36-HD/VPTW), shared by the conclusion
notice and the transfer slip so that both sign the same way."""

from __future__ import annotations

import re
import unicodedata

from accounts.models import OrgUnit
from core.pdf import clean_name
from registers.models import SignMode


def _starts_with(name: str, prefix: str) -> bool:
    # "Ủy" and the older spelling "Uỷ" are the same word.
    def fold(text: str) -> str:
        return unicodedata.normalize("NFC", text).casefold().replace("uỷ", "ủy")

    return fold(name).startswith(fold(prefix))


def collective(body: OrgUnit) -> str:
    """The collective a "TM." signature speaks for."""
    name = clean_name(body.name)
    if _starts_with(name, "Ủy ban nhân dân"):
        return "ỦY BAN NHÂN DÂN"
    if _starts_with(name, "Đảng ủy"):
        return "ĐẢNG ỦY"
    return name.upper()


_HEAD_TITLES = {
    OrgUnit.Kind.PEOPLES_COMMITTEE: "CHỦ TỊCH",
    OrgUnit.Kind.PEOPLES_COUNCIL: "CHỦ TỊCH",
    OrgUnit.Kind.FATHERLAND_FRONT: "CHỦ TỊCH",
    OrgUnit.Kind.PARTY_COMMITTEE: "BÍ THƯ",
}


def head_title(body: OrgUnit, signer_title: str) -> str:
    """The head a "KT." or "TL." signature signs for: the body's head by kind, else the
    signer's title without "PHÓ" (a deputy signs for the head)."""
    if body.kind in _HEAD_TITLES:
        return _HEAD_TITLES[body.kind]
    return re.sub(r"^PHÓ\s+", "", signer_title) or signer_title


# Party documents write the signing mode with a slash (Hướng dẫn 36-HD/VPTW): "T/M", "K/T".
_PARTY_SIGN_MODES = {"TM.": "T/M", "KT.": "K/T", "TL.": "T/L"}


def signature_lines(body: OrgUnit, sign_mode: str, signer_title: str) -> list[str]:
    """["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"] or ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]; a Party
    body: ["T/M ĐẢNG ỦY", "BÍ THƯ"]. Without a title (not yet set up) the head's title."""
    title = clean_name(signer_title).upper() or _HEAD_TITLES.get(body.kind, "")
    party = body.kind == OrgUnit.Kind.PARTY_COMMITTEE
    mode = _PARTY_SIGN_MODES.get(sign_mode, sign_mode) if party else sign_mode
    if sign_mode == SignMode.ON_BEHALF:
        return [f"{mode} {collective(body)}", title]
    return [f"{mode} {head_title(body, title)}", title]
