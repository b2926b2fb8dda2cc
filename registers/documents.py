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
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import OrgUnit, SigningKey, User
from core.pdf import clean_name, element_place
from core.ports import document_verify_path
from core.qr import qr_svg_data_uri
from core.signing import SEAL, UnusableKey, configured_roles, pdf_sign, pdf_signatures_check
from registers.models import IssuedDocument, RegisterEntry, new_verify_code

logger = logging.getLogger(__name__)

# The ids of the spaces the templates leave for the digital signatures
# (includes/pdf/signature_space.html, includes/pdf/seal_info_space.html), as the notice's.
SIGNATURE_SPACE_ID = "chu-ky-so"
SEAL_INFO_SPACE_ID = "thong-tin-chu-ky-so"


def verify_url(code: str) -> str:
    """The public check of a document, absolute: it is printed and read by phones."""
    return settings.SITE_URL.rstrip("/") + document_verify_path()(code)


def verify_context(code: str, *, seal_signs: bool | None = None) -> dict:
    """What the templates' `includes/pdf/verify_mark.html` and signature spaces need.
    `seal_signs`: whether the body's seal signs (lines are left under the name for its text);
    by default, whether the settings configure a seal key."""
    url = verify_url(code)
    if seal_signs is None:
        seal_signs = SEAL in configured_roles()
    return {
        "verify_code": code,
        "verify_url": url,
        "verify_qr": qr_svg_data_uri(url),
        "signature_space_id": SIGNATURE_SPACE_ID,
        "seal_info_space_id": SEAL_INFO_SPACE_ID if seal_signs else "",
    }


@dataclass
class SigningPlan:
    """Whose keys sign a document (accounts.SigningKey: its signer's and its issuing body's
    seal; the settings' keys where the installation keeps none in the database), or why it
    goes out unsigned — never signed with somebody else's key."""

    keys: dict = field(default_factory=dict)
    problem: str = ""

    @classmethod
    def for_document(cls, *, signer: User | None, body: OrgUnit) -> SigningPlan:
        found = SigningKey.for_document(signer=signer, body=body)
        return cls(keys={} if found.problem else found.keys, problem=found.problem)

    @property
    def roles(self) -> list[str]:
        return configured_roles(self.keys)

    @property
    def seal_signs(self) -> bool:
        return SEAL in self.roles


@dataclass
class SignedPdf:
    data: bytes
    signatures: list[dict]  # core.signing.SignatureStatus as dicts; empty: unsigned
    unsigned_reason: str  # why a document that should be signed is not ("" otherwise)


def pdf_sign_planned(
    laid_out, *, plan: SigningPlan, body: OrgUnit, reason: str, location: str, what: str
) -> SignedPdf:
    """The laid-out document (WeasyPrint) written to PDF and signed as `plan` says, its
    signatures validated. One definition for every issued document (notices included): a key
    that cannot sign leaves the document unsigned with the reason, logged under `what`."""
    data = laid_out.write_pdf()
    problem = plan.problem
    if plan.roles and not problem:
        try:
            data = pdf_sign(
                data,
                space=element_place(laid_out, SIGNATURE_SPACE_ID),
                info_space=element_place(laid_out, SEAL_INFO_SPACE_ID),
                body_name=clean_name(body.name),
                reason=reason,
                location=location,
                keys=plan.keys,
            )
        except UnusableKey as error:
            problem = str(error)
    if problem:
        logger.warning("%s issued unsigned: %s", what, problem)
        return SignedPdf(data, [], problem[:500])
    if not plan.roles:
        return SignedPdf(data, [], "")
    return SignedPdf(data, [status.as_dict() for status in pdf_signatures_check(data)], "")


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
    signer: User | None = None,
) -> IssuedDocument:
    """Render the document once (`render` gets `verify_context` and returns WeasyPrint's laid
    out document), sign it with the keys of `signer` and of the register's body
    (`SigningPlan`), validate the signatures, hash and store the signed file. Only an unstored
    row is written, and only once: a second call, or a worker racing this one, changes nothing
    and keeps the first file."""
    if document.is_stored:
        return document
    entry = document.entry
    plan = SigningPlan.for_document(signer=signer, body=entry.body)
    laid_out = render(verify_context(document.verify_code, seal_signs=plan.seal_signs))
    signed = pdf_sign_planned(
        laid_out, plan=plan, body=entry.body, reason=reason, location=location, what=f"Document {entry}"
    )
    digest = hashlib.sha256(signed.data).hexdigest()
    file = document.pdf
    name = file.storage.save(
        file.field.generate_filename(document, file_name), ContentFile(signed.data), max_length=255
    )
    stored_at = timezone.now()
    written = {
        "pdf": name,
        "pdf_sha256": digest,
        "signatures": signed.signatures,
        "unsigned_reason": signed.unsigned_reason,
        "stored_at": stored_at,
    }
    stored = IssuedDocument.objects.filter(pk=document.pk, pdf_sha256="").update(**written)
    if not stored:  # another worker was faster: keep its file, drop ours
        file.storage.delete(name)
        document.refresh_from_db(fields=list(written))
        return document
    document.pdf.name, document.pdf_sha256 = name, digest
    document.signatures, document.unsigned_reason = signed.signatures, signed.unsigned_reason
    document.stored_at = stored_at
    return document


def file_name_of(entry: RegisterEntry, prefix: str) -> str:
    """phieu-chuyen-02-PC-UBND.pdf: the number, never a slash (upload_to adds the folders)."""
    return f"{prefix}-{entry.label.replace('/', '-')}.pdf"
