"""The public check of an issued document (/cong-khai/van-ban/<code>/), opened by the QR code
printed on it: who issued it, its number, date and summary, the SHA-256 of the published file,
its digital signatures, and a form where anyone drops a file to learn whether it is the
original. The file is hashed as it arrives and never stored, not even in a temporary file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from conclusions.models import ConclusionNotice
from public_pages.views import TOO_MANY, lookup_allowed
from registers.models import VERIFY_CODE_LENGTH, DocumentType, IssuedDocument

CHECK_SCOPE = "document-check"
NO_FILE = _("Hãy chọn tệp cần kiểm tra.")
TOO_LARGE = _("Tệp lớn hơn %(limit)s: đây không thể là văn bản này. Hãy chọn đúng tệp PDF đã nhận.")
MATCHES = _("Tệp này đúng là bản gốc: mã SHA-256 của nó trùng với văn bản đã ban hành.")
DIFFERS = _(
    "Tệp này KHÔNG phải bản gốc: mã SHA-256 của nó khác với văn bản đã ban hành. "
    "Tệp có thể đã bị sửa, hoặc là một văn bản khác."
)
# The multipart envelope around the file (field names, boundaries): a few hundred bytes.
ENVELOPE_BYTES = 64 * 1024


@dataclass
class HashedUpload:
    """What is left of an uploaded file: its name, size and SHA-256."""

    name: str
    size: int
    sha256: str
    too_large: bool

    def close(self) -> None:  # the request closes its files; there is nothing to close
        return None


class HashOnlyUploadHandler(FileUploadHandler):
    """Hashes each chunk as it arrives and keeps none: no memory copy, no temporary file.
    Past the limit, the rest is read and thrown away, unhashed."""

    def __init__(self, request=None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.digest, self.size, self.too_large = hashlib.sha256(), 0, False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        if self.size > self.limit:
            self.too_large = True
        else:
            self.digest.update(raw_data)
        return None  # no later handler gets the data

    def file_complete(self, file_size: int) -> HashedUpload:
        return HashedUpload(self.file_name, self.size, self.digest.hexdigest(), self.too_large)


@dataclass(frozen=True)
class CheckedDocument:
    """What the public page shows of an issued document, whatever its kind: a conclusion
    notice (its own fields) or a document of the register (`registers.IssuedDocument`)."""

    kind: str  # "Thông báo", "Phiếu chuyển", "Quyết định", "Báo cáo"
    body_name: str
    number_label: str
    issued_on: date
    summary: str
    verify_code: str
    pdf_sha256: str
    signatures: list
    # Only the conclusion notice is published in full; a transfer slip, a decision on a
    # denunciation or a report carries personal data: the page checks a copy, it gives none.
    download_url: str


def _notice(code: str) -> CheckedDocument | None:
    notice = ConclusionNotice.objects.issued().select_related("issuing_body").filter(verify_code=code).first()
    if notice is None:
        return None
    return CheckedDocument(
        kind=str(DocumentType.NOTICE.label),
        body_name=notice.issuing_body.name,
        number_label=notice.number_label,
        issued_on=notice.issued_on,
        summary=notice.summary,
        verify_code=notice.verify_code,
        pdf_sha256=notice.pdf_sha256,
        signatures=notice.pdf_signatures,
        download_url=reverse("public:notice_pdf", args=[notice.pk]) if notice.pdf_sha256 else "",
    )


def _register_document(code: str) -> CheckedDocument | None:
    issued = IssuedDocument.objects.select_related("entry__body").filter(verify_code=code).first()
    if issued is None:
        return None
    entry = issued.entry
    return CheckedDocument(
        kind=entry.get_doc_type_display(),
        body_name=entry.body.name,
        number_label=entry.label,
        issued_on=entry.issued_on,
        summary=entry.summary,
        verify_code=issued.verify_code,
        pdf_sha256=issued.pdf_sha256,
        signatures=issued.signatures,
        download_url="",
    )


def _issued_document(code: str) -> CheckedDocument:
    code = code.strip().upper()
    if len(code) != VERIFY_CODE_LENGTH:
        raise Http404
    found = _notice(code) or _register_document(code)
    if found is None:
        raise Http404
    return found


@csrf_exempt  # only so that the upload handlers can be set before the body is read
@require_http_methods(["GET", "POST"])
def document(request: HttpRequest, code: str) -> HttpResponse:
    limit = settings.VERIFY_UPLOAD_MAX_BYTES
    request.upload_handlers = [HashOnlyUploadHandler(request, limit=limit)]
    return _document(request, code, limit)


@csrf_protect
def _document(request: HttpRequest, code: str, limit: int) -> HttpResponse:
    document = _issued_document(code)
    context = {"document": document, "limit": limit, "signatures": document.signatures}
    if request.method == "GET":
        return render(request, "public/document.html", context)
    if not lookup_allowed(request, CHECK_SCOPE):
        return render(request, "public/document.html", {**context, "error": TOO_MANY}, status=429)
    too_large_message = TOO_LARGE % {"limit": filesizeformat(limit)}
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit + ENVELOPE_BYTES:
        # Refused before the body is read.
        return render(request, "public/document.html", {**context, "error": too_large_message}, status=413)
    upload = request.FILES.get("tep")
    if upload is None or upload.size == 0:
        return render(request, "public/document.html", {**context, "error": NO_FILE}, status=400)
    if upload.too_large:
        return render(request, "public/document.html", {**context, "error": too_large_message}, status=413)
    matches = bool(document.pdf_sha256) and upload.sha256 == document.pdf_sha256
    return render(
        request,
        "public/document.html",
        {**context, "checked": upload, "matches": matches, "result": MATCHES if matches else DIFFERS},
    )
