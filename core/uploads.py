"""Checks for uploaded files: size (settings.UPLOAD_MAX_BYTES) and type, judged by the
extension *and* the first bytes, so a renamed executable is not accepted as a PDF."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

FILE_TOO_LARGE = _("Tệp quá lớn (%(size)s). Dung lượng tối đa là %(limit)s.")
FILE_TYPE_NOT_ALLOWED = _("Chỉ nhận tệp PDF, ảnh (JPG, PNG) và văn bản Office (DOC, DOCX, XLS, XLSX).")
FILE_CONTENT_MISMATCH = _("Nội dung tệp không khớp với đuôi “%(extension)s”.")
FILE_EMPTY = _("Tệp rỗng.")

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)


@dataclass(frozen=True)
class FileType:
    label: str
    signatures: tuple[bytes, ...]


ALLOWED_TYPES = {
    "pdf": FileType("PDF", (b"%PDF-",)),
    "jpg": FileType("JPEG", (b"\xff\xd8\xff",)),
    "jpeg": FileType("JPEG", (b"\xff\xd8\xff",)),
    "png": FileType("PNG", (b"\x89PNG\r\n\x1a\n",)),
    "docx": FileType("Word", _ZIP),
    "xlsx": FileType("Excel", _ZIP),
    "doc": FileType("Word", _OLE),
    "xls": FileType("Excel", _OLE),
}
ACCEPT_ATTRIBUTE = ",".join(f".{extension}" for extension in ALLOWED_TYPES)


def validate_upload(upload) -> None:
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(FILE_EMPTY, code="empty")
    if upload.size > limit:
        raise ValidationError(
            FILE_TOO_LARGE,
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    file_type = ALLOWED_TYPES.get(extension)
    if file_type is None:
        raise ValidationError(FILE_TYPE_NOT_ALLOWED, code="type")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if not any(head.startswith(signature) for signature in file_type.signatures):
        raise ValidationError(FILE_CONTENT_MISMATCH, code="content", params={"extension": extension})
