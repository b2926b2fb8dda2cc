"""What the API says of an issued document (registers/documents.py), for the APIs of the apps
that issue them: the notice (conclusions/api.py), the transfer slip (petitions/api.py)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registers.documents import verify_url
from registers.models import IssuedDocument


class SignatureStatusSerializer(serializers.Serializer):
    """One digital signature of the stored PDF, as validated when it was signed (core/signing.py)."""

    role = serializers.ChoiceField(
        choices=[("person", "người có thẩm quyền"), ("seal", "cơ quan, tổ chức"), ("", "khác")],
        read_only=True,
    )
    signer = serializers.CharField(read_only=True)
    signed_at = serializers.CharField(read_only=True, help_text="ISO 8601, giờ Việt Nam (+07:00)")
    valid = serializers.BooleanField(read_only=True)


class IssuedDocumentSerializer(serializers.Serializer):
    """An issued document of the register: its number, its stored PDF (`pdf_url` null while the
    file is being made), the file's SHA-256, its signatures, and its public check. The PDF's
    address is the issuing app's (given in the context as `pdf_url`)."""

    number = serializers.CharField(source="entry.label", read_only=True)
    issued_on = serializers.DateField(source="entry.issued_on", read_only=True)
    pdf_url = serializers.SerializerMethodField()
    pdf_sha256 = serializers.CharField(read_only=True, help_text="rỗng khi tệp PDF đang được tạo")
    signatures = SignatureStatusSerializer(many=True, read_only=True)
    verify_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_pdf_url(self, document: IssuedDocument) -> str | None:
        return self.context.get("pdf_url") if document.is_stored else None

    @extend_schema_field(serializers.URLField())
    def get_verify_url(self, document: IssuedDocument) -> str:
        return verify_url(document.verify_code)
