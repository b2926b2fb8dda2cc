"""The PDF of a conclusion notice, laid out as Decree 30/2020/NĐ-CP (State documents) and the
Party's own rules (Party documents) lay out an administrative document.

WeasyPrint is imported inside the functions that use it: it needs Pango, and a machine
without Pango must still be able to start the app (only the PDF is then unavailable).
Rendering fetches nothing from the network: the font and the stylesheet are local files,
found through the staticfiles finders, so it works without collectstatic and on closed
networks.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from django.conf import settings
from django.core.files.base import ContentFile

from accounts.models import OrgUnit
from conclusions.models import ConclusionNotice, new_verify_code
from core.pdf import BLANK, clean_name, element_place, render_document, render_pdf, vietnamese_date
from core.ports import document_verify_path
from core.qr import qr_svg_data_uri
from core.signing import SEAL, configured_roles, pdf_sign, pdf_signatures_check

TEMPLATE = "conclusions/pdf/notice.html"
# The id of the space left for the signature in the template (includes/pdf/signature_space.html):
# the signer's image is centred in it, the seal overlaps it (core/signing.py).
SIGNATURE_SPACE_ID = "chu-ky-so"
# Under the signer's name: the lines of the seal's text (the body, the signing time), there
# only when the body signs (includes/pdf/seal_info_space.html).
SEAL_INFO_SPACE_ID = "thong-tin-chu-ky-so"
NOT_ISSUED = "Only an issued notice gets its stored PDF; a draft is rendered on demand."

# Where a body's name is broken over two lines in the header ("ỦY BAN NHÂN DÂN / PHƯỜNG BỒ ĐỀ").
_LEVEL_WORD_INSIDE = re.compile(
    r"\s+(?=(?:thị trấn|thị xã|thành phố|đặc khu|phường|xã|quận|huyện|tỉnh)\s)", re.IGNORECASE
)
_ONE_LINE_HEADER = 22  # characters: a longer body name is broken before its level word


# --- words and dates ----------------------------------------------------------------------


def _upper(text: str) -> str:
    return clean_name(text).upper()


def header_lines(body_name: str) -> list[str]:
    """The issuing body in capitals, a long name broken before its (last) level word:
    ["ỦY BAN NHÂN DÂN", "PHƯỜNG BỒ ĐỀ"]."""
    name = _upper(body_name)
    breaks = [match.start() for match in _LEVEL_WORD_INSIDE.finditer(name)]
    if len(name) <= _ONE_LINE_HEADER or not breaks:
        return [name]
    return [name[: breaks[-1]].strip(), name[breaks[-1] :].strip()]


def _starts_with(name: str, prefix: str) -> bool:
    # "Ủy" and the older spelling "Uỷ" are the same word.
    def fold(text: str) -> str:
        return unicodedata.normalize("NFC", text).casefold().replace("uỷ", "ủy")

    return fold(name).startswith(fold(prefix))


def _collective(body: OrgUnit) -> str:
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


def _head_title(body: OrgUnit, signer_title: str) -> str:
    """The head a "KT." or "TL." signature signs for: the body's head by kind, else the
    signer's title without "PHÓ" (a deputy signs for the head)."""
    if body.kind in _HEAD_TITLES:
        return _HEAD_TITLES[body.kind]
    return re.sub(r"^PHÓ\s+", "", signer_title) or signer_title


# Party documents write the signing mode with a slash (Hướng dẫn 36-HD/VPTW): "T/M", "K/T".
_PARTY_SIGN_MODES = {"TM.": "T/M", "KT.": "K/T", "TL.": "T/L"}


def signature_lines(notice: ConclusionNotice) -> list[str]:
    """["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"] or ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]; a Party
    notice: ["T/M ĐẢNG ỦY", "BÍ THƯ"]."""
    title = _upper(notice.signer_title)
    mode = _PARTY_SIGN_MODES.get(notice.sign_mode, notice.sign_mode) if notice.is_party else notice.sign_mode
    if notice.sign_mode == ConclusionNotice.SignMode.ON_BEHALF:
        return [f"{mode} {_collective(notice.issuing_body)}", title]
    return [f"{mode} {_head_title(notice.issuing_body, title)}", title]


def recipient_lines(lines: list[str]) -> list[str]:
    """ "- UBND quận;" … "- Lưu: VT." — a dash in front, ";" after each, "." after the last,
    and the office copy ("Lưu: VT") always last."""
    cleaned = [unicodedata.normalize("NFC", line).strip().lstrip("-–—+•* ").rstrip(" ;,.") for line in lines]
    cleaned = [line for line in cleaned if line]
    if not any(re.match(r"lưu\b", line.casefold()) for line in cleaned):
        cleaned.append("Lưu: VT")
    return [f"- {line}{'.' if index == len(cleaned) - 1 else ';'}" for index, line in enumerate(cleaned)]


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- the document -------------------------------------------------------------------------


def _area_of(notice: ConclusionNotice) -> OrgUnit:
    return notice.area if notice.area_id else notice.issuing_body.area


def _area_above(area: OrgUnit) -> OrgUnit | None:
    unit = area.parent
    while unit is not None and not unit.is_area:
        unit = unit.parent
    return unit


def _number_text(notice: ConclusionNotice, draft: bool) -> str:
    symbol = notice.issuing_body.symbol or "UBND"
    if notice.is_party:
        return f"Số {BLANK}-TB/{symbol}" if draft or not notice.number_label else f"Số {notice.number_label}"
    return f"Số: {BLANK}/TB-{symbol}" if draft or not notice.number_label else f"Số: {notice.number_label}"


def _amends_text(notice: ConclusionNotice) -> str:
    amended = notice.amends
    if amended is None:
        return ""
    when = f" ngày {amended.issued_on:%d/%m/%Y}" if amended.issued_on else ""
    return f"(Đính chính Thông báo số {amended.number_label or BLANK}{when})"


def notice_context(notice: ConclusionNotice, *, draft: bool) -> dict:
    area = _area_of(notice)
    parent = _area_above(area) if notice.is_party else None
    items = [
        {"position": item.position, "paragraphs": _paragraphs(item.text) or [""]}
        for item in notice.items.all()
    ]
    return {
        "notice": notice,
        "draft": draft,
        "party": notice.is_party,
        "parent_org": f"ĐẢNG BỘ {_upper(parent.name)}" if parent else "",
        "issuer_lines": header_lines(notice.issuing_body.name),
        "number_text": _number_text(notice, draft),
        "place_date": f"{area.place_name}, {vietnamese_date(None if draft else notice.issued_on)}",
        "summary": notice.summary.strip(),
        "amends_text": _amends_text(notice),
        "preamble": _paragraphs(notice.preamble),
        "items": items,
        "closing": _paragraphs(notice.closing),
        "recipients": recipient_lines(notice.recipient_lines),
        "signature_lines": signature_lines(notice),
        "signer_name": notice.signer.full_name or notice.signer.get_username(),
        "signature_space_id": SIGNATURE_SPACE_ID,
        "seal_info_space_id": SEAL_INFO_SPACE_ID if not draft and SEAL in configured_roles() else "",
        **_verify_context(notice, draft),
    }


def verify_url(notice: ConclusionNotice) -> str:
    """The public check of the issued notice, absolute (it is printed and read by phones)."""
    return settings.SITE_URL.rstrip("/") + document_verify_path()(notice.verify_code)


def _verify_context(notice: ConclusionNotice, draft: bool) -> dict:
    """The QR code and the short code beside it: only on an issued notice that has its code
    (a draft is not yet a document anyone can check)."""
    if draft or not notice.verify_code:
        return {}
    url = verify_url(notice)
    return {"verify_code": notice.verify_code, "verify_url": url, "verify_qr": qr_svg_data_uri(url)}


def render_notice_pdf(notice: ConclusionNotice, *, draft: bool | None = None) -> bytes:
    """The notice as A4 PDF bytes; a draft (the default for a notice not yet issued) carries
    "DỰ THẢO" and leaves the number and the date blank."""
    if draft is None:
        draft = not notice.is_issued
    return render_pdf(TEMPLATE, notice_context(notice, draft=draft))


def pdf_file_name(notice: ConclusionNotice) -> str:
    """thong-bao-15-TB-UBND.pdf: the number, never a slash (upload_to adds the folders)."""
    return f"thong-bao-{notice.number_label.replace('/', '-')}.pdf"


def _verify_code_ensure(notice: ConclusionNotice) -> None:
    """Give the issued notice its public code once (a racing worker's code wins)."""
    if notice.verify_code:
        return
    ConclusionNotice.objects.filter(pk=notice.pk, verify_code__isnull=True).update(
        verify_code=new_verify_code()
    )
    notice.refresh_from_db(fields=["verify_code"])


def signed_notice_pdf(notice: ConclusionNotice) -> tuple[bytes, list[dict]]:
    """The issued notice rendered and, when keys are configured, signed (the signer's and the
    body's PAdES signatures, core/signing.py), with its signatures as validated."""
    document = render_document(TEMPLATE, notice_context(notice, draft=False))
    data = document.write_pdf()
    if not configured_roles():
        return data, []
    data = pdf_sign(
        data,
        space=element_place(document, SIGNATURE_SPACE_ID),
        info_space=element_place(document, SEAL_INFO_SPACE_ID),
        body_name=clean_name(notice.issuing_body.name),
        reason=f"Ban hành Thông báo số {notice.number_label}",
        location=_area_of(notice).place_name,
    )
    return data, [status.as_dict() for status in pdf_signatures_check(data)]


def notice_pdf_store(*, notice: ConclusionNotice) -> None:
    """Render (and sign) the issued notice once, store it, its SHA-256 and its signatures'
    status. The notice is otherwise immutable, so only these fields are written, and only if
    still empty: a second call, or a second worker racing this one, changes nothing. The
    stored, hashed and published file is the signed one."""
    if not notice.is_issued:
        raise ValueError(NOT_ISSUED)
    if notice.pdf_sha256:
        return
    _verify_code_ensure(notice)
    data, signatures = signed_notice_pdf(notice)
    digest = hashlib.sha256(data).hexdigest()
    field = notice.pdf
    name = field.storage.save(
        field.field.generate_filename(notice, pdf_file_name(notice)), ContentFile(data), max_length=255
    )
    stored = ConclusionNotice.objects.filter(pk=notice.pk, pdf_sha256="").update(
        pdf=name, pdf_sha256=digest, pdf_signatures=signatures
    )
    if not stored:  # another worker was faster: keep its file, drop ours
        field.storage.delete(name)
        notice.refresh_from_db(fields=["pdf", "pdf_sha256", "pdf_signatures"])
        return
    notice.pdf.name, notice.pdf_sha256, notice.pdf_signatures = name, digest, signatures
