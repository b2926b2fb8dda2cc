"""The transfer slip (phiếu chuyển đơn): a document of the area's People's Committee with a
number from its outgoing register, signed as the body's delegation says
(`registers.RegisterSettings`: TM./KT./TL., the signer's title and name), not by whoever
printed it."""

from __future__ import annotations

from core.pdf import BLANK, clean_name, header_lines, vietnamese_date
from petitions.models import Petition
from petitions.services import slip_issuer
from registers.models import DocumentType, RegisterSettings
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
        "signer_name": settings.slip_signer_name,
    }
