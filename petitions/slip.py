"""The transfer slip (phiếu chuyển đơn): a document of the area's People's Committee with a
number from its outgoing register, signed as the body's delegation says
(`registers.RegisterSettings`: TM./KT./TL., the signer's title and name), not by whoever
printed it."""

from __future__ import annotations

from core.pdf import BLANK, clean_name, header_lines, render_document, vietnamese_date
from petitions.models import Petition
from petitions.services import slip_issuer
from registers.documents import file_name_of, issued_document_store
from registers.models import DocumentType, IssuedDocument, RegisterSettings
from registers.services import is_party
from registers.signing import signature_lines


def transfer_slip_context(petition: Petition) -> dict:
    entry = petition.transfer_entry
    body = entry.body if entry else slip_issuer(petition.area)
    settings = RegisterSettings.for_body(body)
    symbol = body.symbol or "UBND"
    number_text = f"Số: {entry.label}" if entry else f"Số: {BLANK}/{DocumentType.TRANSFER_SLIP}-{symbol}"
    return {
        "petition": petition,
        "party": is_party(body),
        "issuer_lines": header_lines(body.name),
        "number_text": number_text,
        "receiver": clean_name(body.name),
        "place_date": f"{petition.area.place_name}, {vietnamese_date(petition.transferred_on)}",
        "kind": petition.get_kind_display().lower(),
        "signature_lines": signature_lines(body, settings.slip_sign_mode, settings.slip_signer_title),
        "signer_name": settings.slip_signer_name
        or (settings.slip_signer.full_name if settings.slip_signer_id else ""),
    }


# --- the stored slip (issue 18) -------------------------------------------------------------

TEMPLATE = "petitions/pdf/transfer_slip.html"
FILE_PREFIX = "phieu-chuyen-don"


def stored_slip(petition: Petition) -> IssuedDocument | None:
    """The slip's issued document (its stored PDF, or the row waiting for it); None for a
    slip transferred before slips were stored, or never numbered."""
    if petition.transfer_entry_id is None:
        return None
    return IssuedDocument.objects.filter(entry_id=petition.transfer_entry_id).first()


def stored_slip_context(petition: Petition) -> dict:
    """The slip as it is stored, one file for everyone who may open it: the petitioner's name
    and address once, but never a denouncer's (Luật Tố cáo 2018, Điều 47 khoản 2: the
    denouncer's identity is kept secret; DESIGN: PDFs never show it)."""
    named = not petition.is_confidential and petition.petitioner_type != Petition.PetitionerType.ANONYMOUS
    return {
        **transfer_slip_context(petition),
        "petitioner": petition.petitioner_name if named else petition.public_petitioner,
        "address": petition.petitioner_address if named else "",
    }


def transfer_slip_store(*, petition: Petition) -> IssuedDocument | None:
    """Render, sign and store the transferred petition's slip once (registers.documents);
    nothing to do for a slip without an issued document (transferred before this)."""
    issued = stored_slip(petition)
    if issued is None or issued.is_stored:
        return issued
    context = stored_slip_context(petition)
    return issued_document_store(
        document=issued,
        render=lambda verify: render_document(TEMPLATE, {**context, **verify}),
        file_name=file_name_of(issued.entry, FILE_PREFIX),
        reason=f"Ban hành Phiếu chuyển đơn số {issued.entry.label}",
        location=petition.area.place_name,
        # Signed by the account the body's settings name (not by whoever transferred it).
        signer=RegisterSettings.for_body(issued.entry.body).slip_signer,
    )
