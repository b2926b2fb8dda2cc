"""Issued documents that stand on their own (issue 18): every document the app issues under a
register number is rendered once, signed when keys are configured (PAdES, core.signing), hashed
(SHA-256) and stored, and carries a QR code and a short code that open its public check
(/cong-khai/van-ban/<code>/). The conclusion notice keeps its own fields
(conclusions.ConclusionNotice); the other documents — the transfer slip (PC), the denunciation's
extension decision (QĐ), the periodic report (BC) — share `IssuedDocument` and these two
services:

- `issued_document_open`, inside the issuing transaction, right after `register_take`: the
  document's row and its code (the file prints the code, so it exists before the file);
- `issued_document_store`, in a Celery worker (signing never runs in the web process,
  docs/SIGNING.md): render, sign, validate, hash, store; once, never again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.pdf import clean_name, element_place
from core.ports import document_verify_path
from core.qr import qr_svg_data_uri
from core.signing import SEAL, configured_roles, pdf_sign, pdf_signatures_check
from registers.models import IssuedDocument, RegisterEntry, new_verify_code

# The ids of the spaces the templates leave for the digital signatures
# (includes/pdf/signature_space.html, includes/pdf/seal_info_space.html), as the notice's.
SIGNATURE_SPACE_ID = "chu-ky-so"
SEAL_INFO_SPACE_ID = "thong-tin-chu-ky-so"


def verify_url(code: str) -> str:
    """The public check of a document, absolute: it is printed and read by phones."""
    return settings.SITE_URL.rstrip("/") + document_verify_path()(code)


def verify_context(code: str) -> dict:
    """What the templates' `includes/pdf/verify_mark.html` and signature spaces need."""
    url = verify_url(code)
    return {
        "verify_code": code,
        "verify_url": url,
        "verify_qr": qr_svg_data_uri(url),
        "signature_space_id": SIGNATURE_SPACE_ID,
        "seal_info_space_id": SEAL_INFO_SPACE_ID if SEAL in configured_roles() else "",
    }


@transaction.atomic
def issued_document_open(*, entry: RegisterEntry) -> IssuedDocument:
    """The issued document of a register number, with its public code: made in the issuing
    transaction (a failed issue takes it back with the number). Its file comes later."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return IssuedDocument.objects.create(entry=entry, verify_code=new_verify_code())
        except IntegrityError:
            if IssuedDocument.objects.filter(entry=entry).exists():
                return IssuedDocument.objects.get(entry=entry)
            # A code drawn twice (31^10 codes): draw again.
    raise RuntimeError("No free verify code after five draws.")


def issued_document_store(
    *,
    document: IssuedDocument,
    render: Callable[[dict], object],
    file_name: str,
    reason: str,
    location: str,
) -> IssuedDocument:
    """Render the document once (`render` gets `verify_context` and returns WeasyPrint's laid
    out document), sign it when keys are configured, validate the signatures, hash and store
    the signed file. Only an unstored row is written, and only once: a second call, or a worker
    racing this one, changes nothing and keeps the first file."""
    if document.is_stored:
        return document
    entry = document.entry
    laid_out = render(verify_context(document.verify_code))
    data = laid_out.write_pdf()
    signatures: list[dict] = []
    if configured_roles():
        data = pdf_sign(
            data,
            space=element_place(laid_out, SIGNATURE_SPACE_ID),
            info_space=element_place(laid_out, SEAL_INFO_SPACE_ID),
            body_name=clean_name(entry.body.name),
            reason=reason,
            location=location,
        )
        signatures = [status.as_dict() for status in pdf_signatures_check(data)]
    digest = hashlib.sha256(data).hexdigest()
    field = document.pdf
    name = field.storage.save(
        field.field.generate_filename(document, file_name), ContentFile(data), max_length=255
    )
    stored_at = timezone.now()
    stored = IssuedDocument.objects.filter(pk=document.pk, pdf_sha256="").update(
        pdf=name, pdf_sha256=digest, signatures=signatures, stored_at=stored_at
    )
    if not stored:  # another worker was faster: keep its file, drop ours
        field.storage.delete(name)
        document.refresh_from_db(fields=["pdf", "pdf_sha256", "signatures", "stored_at"])
        return document
    document.pdf.name, document.pdf_sha256 = name, digest
    document.signatures, document.stored_at = signatures, stored_at
    return document


def file_name_of(entry: RegisterEntry, prefix: str) -> str:
    """phieu-chuyen-02-PC-UBND.pdf: the number, never a slash (upload_to adds the folders)."""
    return f"{prefix}-{entry.label.replace('/', '-')}.pdf"
