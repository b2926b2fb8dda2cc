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
from conclusions.models import Assignment, ConclusionNotice
from core.pdf import (
    BLANK,
    clean_name,
    header_lines,
    render_document,
    render_pdf,
    vietnamese_date,
)
from core.ports import document_verify_path
from core.qr import qr_svg_data_uri
from core.signing import SEAL, configured_roles
from registers import signing
from registers.documents import SEAL_INFO_SPACE_ID, SIGNATURE_SPACE_ID, SigningPlan, pdf_sign_planned
from registers.models import AssignmentsLayout, RegisterSettings, new_verify_code

TEMPLATE = "conclusions/pdf/notice.html"
NOT_ISSUED = "Only an issued notice gets its stored PDF; a draft is rendered on demand."

# --- words and dates ----------------------------------------------------------------------


def _upper(text: str) -> str:
    return clean_name(text).upper()


def signature_lines(notice: ConclusionNotice) -> list[str]:
    """The notice's signature block (registers.signing, shared with the transfer slip)."""
    return signing.signature_lines(notice.issuing_body, notice.sign_mode, notice.signer_title)


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


# --- the assignments, printed from their data -----------------------------------------------


def _sentence_start(text: str) -> str:
    """The task as it continues "Giao X chủ trì …": its first word in lower case unless it is
    an abbreviation or a name ("Trả lời …" → "trả lời …", "UBND …" stays)."""
    text = " ".join(text.split()).rstrip(" .;")
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return first[0].lower() + text[1:]
    return text


def assignment_deadline_text(assignment: Assignment) -> str:
    """The deadline as a date (dd/mm/yyyy); before issue, a number of days from the issue
    date is all there is, and says so."""
    if assignment.deadline is not None:
        return f"{assignment.deadline:%d/%m/%Y}"
    unit = "ngày làm việc" if assignment.deadline_rule == Assignment.DeadlineRule.WORKING_DAYS else "ngày"
    return f"{assignment.deadline_days} {unit} kể từ ngày ban hành Thông báo"


def _agencies(assignment: Assignment) -> tuple[str, str]:
    coordinating = ", ".join(clean_name(agency.name) for agency in assignment.coordinating_agencies.all())
    return clean_name(assignment.lead_agency.name), coordinating


def assignment_sentence(assignment: Assignment) -> str:
    """ "Giao Công an phường chủ trì, phối hợp với Phòng Văn hóa - Xã hội phường kiểm tra …;
    thời hạn 30/10/2026." """
    lead, coordinating = _agencies(assignment)
    together = f", phối hợp với {coordinating}" if coordinating else ""
    return f"Giao {lead} chủ trì{together} {_sentence_start(assignment.task)}; thời hạn {assignment_deadline_text(assignment)}."


def _assignments_by_item(notice: ConclusionNotice) -> dict[int, list[Assignment]]:
    by_item: dict[int, list[Assignment]] = {}
    assignments = (
        notice.assignments.select_related("lead_agency")
        .prefetch_related("coordinating_agencies")
        .order_by("item__position", "pk")
    )
    for assignment in assignments:
        by_item.setdefault(assignment.item_id, []).append(assignment)
    return by_item


def _appendix_rows(notice_items, by_item) -> list[dict]:
    rows = []
    for item in notice_items:
        for assignment in by_item.get(item.pk, []):
            lead, coordinating = _agencies(assignment)
            rows.append(
                {
                    "item": item.position,
                    "task": " ".join(assignment.task.split()),
                    "lead": lead,
                    "coordinating": coordinating,
                    "deadline": assignment_deadline_text(assignment),
                }
            )
    return rows


def _appendix_ref(notice: ConclusionNotice, draft: bool) -> str:
    """ "(Kèm theo Thông báo số 12/TB-UBND ngày 05/02/2026 của Ủy ban nhân dân phường Bồ Đề)" """
    symbol = notice.issuing_body.symbol or "UBND"
    if draft or not notice.number_label:
        number = f"{BLANK}-TB/{symbol}" if notice.is_party else f"{BLANK}/TB-{symbol}"
        day = f"{BLANK}/{BLANK}/{BLANK}"
    else:
        number, day = notice.number_label, f"{notice.issued_on:%d/%m/%Y}"
    return f"(Kèm theo Thông báo số {number} ngày {day} của {clean_name(notice.issuing_body.name)})"


def notice_context(notice: ConclusionNotice, *, draft: bool, seal_signs: bool | None = None) -> dict:
    """The template's context. `seal_signs`: whether the body's seal signs (lines are left
    under the signer's name for its text); None: whether the settings have a seal key."""
    if seal_signs is None:
        seal_signs = SEAL in configured_roles()
    area = _area_of(notice)
    parent = _area_above(area) if notice.is_party else None
    layout = RegisterSettings.for_body(notice.issuing_body).assignments_layout
    notice_items = list(notice.items.all())
    by_item = _assignments_by_item(notice)
    inline = layout == AssignmentsLayout.INLINE
    items = [
        {
            "position": item.position,
            "paragraphs": _paragraphs(item.text) or [""],
            "assignments": [assignment_sentence(a) for a in by_item.get(item.pk, [])] if inline else [],
        }
        for item in notice_items
    ]
    return {
        "appendix": [] if inline else _appendix_rows(notice_items, by_item),
        "appendix_ref": _appendix_ref(notice, draft),
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
        "seal_info_space_id": SEAL_INFO_SPACE_ID if not draft and seal_signs else "",
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


def signed_notice_pdf(notice: ConclusionNotice) -> tuple[bytes, list[dict], str]:
    """The issued notice rendered and signed with the keys of its signer and of its issuing
    body (registers.documents.SigningPlan), with its signatures as validated and, when it
    could not be signed, why (then it is unsigned: never signed with another person's or
    body's key)."""
    plan = SigningPlan.for_document(signer=notice.signer, body=notice.issuing_body)
    laid_out = render_document(TEMPLATE, notice_context(notice, draft=False, seal_signs=plan.seal_signs))
    signed = pdf_sign_planned(
        laid_out,
        plan=plan,
        body=notice.issuing_body,
        reason=f"Ban hành Thông báo số {notice.number_label}",
        location=_area_of(notice).place_name,
        what=f"Notice {notice.pk}",
    )
    return signed.data, signed.signatures, signed.unsigned_reason


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
    data, signatures, unsigned_reason = signed_notice_pdf(notice)
    digest = hashlib.sha256(data).hexdigest()
    field = notice.pdf
    name = field.storage.save(
        field.field.generate_filename(notice, pdf_file_name(notice)), ContentFile(data), max_length=255
    )
    stored = ConclusionNotice.objects.filter(pk=notice.pk, pdf_sha256="").update(
        pdf=name, pdf_sha256=digest, pdf_signatures=signatures, pdf_unsigned_reason=unsigned_reason
    )
    if not stored:  # another worker was faster: keep its file, drop ours
        field.storage.delete(name)
        notice.refresh_from_db(fields=["pdf", "pdf_sha256", "pdf_signatures", "pdf_unsigned_reason"])
        return
    notice.pdf.name, notice.pdf_sha256, notice.pdf_signatures = name, digest, signatures
    notice.pdf_unsigned_reason = unsigned_reason
