"""The outgoing register (sổ văn bản đi) of each issuing body: every number the body gives,
by the app (notices, transfer slips…) or outside it (paper, the office's e-office system).

The rules, from the texts:
- State bodies: a document's number is its order among the documents the body issues in one
  year, registered at the body's office, unique within the year and the same on paper and in
  electronic form; numbering starts from 01 on 01/01 and ends on 31/12 (Decree 30/2020/NĐ-CP,
  Điều 15 khoản 1 and Phụ lục I, Phần I, mục II, khoản 3); below 10 with a leading zero.
  Administrative documents (thông báo, báo cáo, phiếu chuyển…) share the body's one sequence
  unless the head of the body decides otherwise: that choice is `RegisterSettings.numbering`.
- Party committees: numbered from 01 for each kind of document within one committee term
  (Hướng dẫn 36-HD/VPTW of 03/4/2018, mục II, điểm 1.3.1.a); the term runs from the day after
  one congress closes to the day the next one closes (`conclusions.CommitteeTerm`, data).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.scoping import ScopedQuerySet
from core.models import BaseModel


class DocumentType(models.TextChoices):
    """Kinds of document and their abbreviations (Decree 30/2020/NĐ-CP, Phụ lục III); the app
    issues the first four, the others come in as numbers used outside the app."""

    NOTICE = "TB", _("Thông báo")
    TRANSFER_SLIP = "PC", _("Phiếu chuyển")
    REPORT = "BC", _("Báo cáo")
    DECISION = "QĐ", _("Quyết định")
    PLAN = "KH", _("Kế hoạch")
    SUBMISSION = "TTr", _("Tờ trình")
    INVITATION = "GM", _("Giấy mời")
    OFFICIAL_LETTER = "CV", _("Công văn")


class Numbering(models.TextChoices):
    SHARED = "shared", _("Một dãy số chung cho mọi loại văn bản")
    PER_TYPE = "per_type", _("Mỗi loại văn bản một dãy số riêng")


class AssignmentsLayout(models.TextChoices):
    INLINE = "inline", _("Ghi ngay sau từng mục kết luận")
    APPENDIX = "appendix", _("Bảng “Phân công thực hiện” cuối văn bản")


class SignMode(models.TextChoices):
    """Decree 30/2020/NĐ-CP, Điều 13 (thẩm quyền ký): TM. for a collective body, KT. for a
    deputy signing for the head, TL. for the head of a unit signing by order."""

    ON_BEHALF = "TM.", _("TM. (thay mặt tập thể)")
    DEPUTY = "KT.", _("KT. (ký thay người đứng đầu)")
    BY_ORDER = "TL.", _("TL. (thừa lệnh)")


class RegisterSettings(BaseModel):
    """How one body keeps its register and prints its documents. A body without a row uses
    the defaults of `for_body`: the law's numbering for its kind, assignments inline."""

    body = models.OneToOneField(
        OrgUnit,
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="register_settings",
    )
    numbering = models.CharField(_("cách đánh số"), max_length=16, choices=Numbering.choices)
    assignments_layout = models.CharField(
        _("in phân công thực hiện"),
        max_length=16,
        choices=AssignmentsLayout.choices,
        default=AssignmentsLayout.INLINE,
    )
    # Until the body says otherwise, the slip is signed for the collective (TM.) by its head.
    slip_sign_mode = models.CharField(
        _("hình thức ký phiếu chuyển"), max_length=4, choices=SignMode.choices, default=SignMode.ON_BEHALF
    )
    slip_signer_title = models.CharField(
        _("chức danh người ký phiếu chuyển"), max_length=100, blank=True, help_text=_("Ví dụ: PHÓ CHỦ TỊCH")
    )
    slip_signer_name = models.CharField(_("họ tên người ký phiếu chuyển"), max_length=150, blank=True)
    # The account whose digital signature key signs the slips (accounts.SigningKey); its name
    # is printed when slip_signer_name is empty.
    slip_signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người ký phiếu chuyển (ký số)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cài đặt sổ văn bản đi")
        verbose_name_plural = _("cài đặt sổ văn bản đi")

    def __str__(self) -> str:
        return str(self.body)

    @staticmethod
    def default_numbering(body: OrgUnit) -> str:
        """The law's default: one sequence a year for a State body (Decree 30), one per kind
        of document for a Party committee (Hướng dẫn 36-HD/VPTW)."""
        return Numbering.PER_TYPE if body.kind == OrgUnit.Kind.PARTY_COMMITTEE else Numbering.SHARED

    @classmethod
    def for_body(cls, body: OrgUnit) -> RegisterSettings:
        found = cls.objects.filter(body=body).first()
        return found or cls(body=body, numbering=cls.default_numbering(body))


class RegisterCounter(models.Model):
    """The last number given in one series of a body's register ("2026", "2026/PC",
    "term-7/TB"). Locked (SELECT … FOR UPDATE) by the transaction that gives a number, so
    numbers are never given twice and never skipped."""

    body = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=64)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "series"], name="register_counter_unique")]

    def __str__(self) -> str:
        return f"{self.body.symbol} {self.series}: {self.last_number}"


class RegisterEntryQuerySet(ScopedQuerySet):
    scope_field = "body"


class RegisterEntry(BaseModel):
    """One number of the register and the document that carries it."""

    class Origin(models.TextChoices):
        APP = "app", _("Ban hành trên phần mềm")
        OUTSIDE = "outside", _("Cấp ngoài phần mềm")

    body = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="register_entries"
    )
    series = models.CharField(_("dãy số"), max_length=64)
    period = models.CharField(_("năm, nhiệm kỳ"), max_length=64)
    number = models.PositiveIntegerField(_("số"))
    doc_type = models.CharField(_("loại văn bản"), max_length=8, choices=DocumentType.choices)
    label = models.CharField(_("số, ký hiệu"), max_length=64)
    issued_on = models.DateField(_("ngày văn bản"))
    summary = models.CharField(_("trích yếu"), max_length=500)
    origin = models.CharField(_("nguồn"), max_length=8, choices=Origin.choices, default=Origin.APP)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The document in the app that carries the number (a notice, a petition's transfer slip);
    # generic so that the register, below them in the layers, names none of them.
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    document = GenericForeignKey("content_type", "object_id")

    objects = RegisterEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("số văn bản đi")
        verbose_name_plural = _("sổ văn bản đi")
        constraints = [
            models.UniqueConstraint(fields=["body", "series", "number"], name="register_number_unique"),
            models.CheckConstraint(
                condition=Q(origin="outside") | Q(content_type__isnull=False),
                name="register_app_has_document",
            ),
        ]
        indexes = [
            # The register page: a body's numbers, newest first, by type or origin.
            models.Index(fields=["body", "-issued_on", "-number"], name="register_body_newest"),
            models.Index(fields=["body", "doc_type", "-issued_on"], name="register_body_type"),
            models.Index(fields=["body", "origin", "-issued_on"], name="register_body_origin"),
            models.Index(fields=["content_type", "object_id"], name="register_document"),
        ]

    def __str__(self) -> str:
        return f"{self.label} – {self.summary[:60]}"

    @property
    def document_url(self) -> str:
        document = self.document
        return document.get_absolute_url() if document is not None else ""


VERIFY_CODE_LENGTH = 10
# No 0/O, 1/I/L: a code read off paper and typed in.
VERIFY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ALREADY_STORED = "An issued document's stored PDF never changes: issue a new document instead."


def new_verify_code() -> str:
    """The short code printed beside an issued document's QR code (every kind of document:
    the notice's and the register's documents draw from the same alphabet and length)."""
    return "".join(secrets.choice(VERIFY_CODE_ALPHABET) for _ in range(VERIFY_CODE_LENGTH))


def issued_document_path(instance: IssuedDocument, filename: str) -> str:
    return f"documents/{instance.entry.issued_on:%Y}/{instance.entry_id}-{filename}"


class IssuedDocumentQuerySet(models.QuerySet):
    def stored(self):
        return self.exclude(pdf_sha256="")


class IssuedDocument(models.Model):
    """The stored, signed and checkable file of a document the app issued under a register
    number (a transfer slip, an extension decision, a periodic report): its PDF, the PDF's
    SHA-256, the short code of the public check, and the signatures as validated when it was
    signed. Made with its number in the issuing transaction (the code is known before the
    file, since the file prints it); the file is stored once by
    `registers.documents.issued_document_store` and never changed afterwards."""

    entry = models.OneToOneField(
        RegisterEntry,
        verbose_name=_("số văn bản"),
        on_delete=models.PROTECT,
        related_name="issued_document",
        editable=False,
    )
    verify_code = models.CharField(
        _("mã xác thực"), max_length=VERIFY_CODE_LENGTH, unique=True, editable=False
    )
    pdf = models.FileField(
        _("tệp PDF"), upload_to=issued_document_path, blank=True, editable=False, max_length=255
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # core.signing.SignatureStatus as dicts; empty: issued unsigned.
    signatures = models.JSONField(default=list, blank=True, editable=False)
    # Why a document that should have been signed was not (a signer without a key, an expired
    # certificate…: registers.documents.SigningPlan); shown on staff pages only.
    unsigned_reason = models.CharField(max_length=500, blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    stored_at = models.DateTimeField(_("lưu tệp lúc"), null=True, blank=True, editable=False)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản đã ban hành")
        verbose_name_plural = _("văn bản đã ban hành")
        indexes = [
            # The sweep of documents whose file is still to be made.
            models.Index(fields=["id"], condition=Q(pdf_sha256=""), name="issued_document_pending"),
        ]

    def __str__(self) -> str:
        return str(self.entry)

    def save(self, *args, **kwargs) -> None:
        if self.pk and IssuedDocument.objects.filter(pk=self.pk).stored().exists():
            raise ValueError(ALREADY_STORED)
        super().save(*args, **kwargs)

    @property
    def is_stored(self) -> bool:
        return bool(self.pdf_sha256)

    @property
    def verify_path(self) -> str:
        from core.ports import document_verify_path

        return document_verify_path()(self.verify_code)
