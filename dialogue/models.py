from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.scoping import ScopedQuerySet
from core.bounds import DOCUMENT_CHARS, MINUTES_CHARS, REMARK_CHARS, BoundedTextField, validate_sensible_date
from core.models import BaseModel, SearchableModel, SearchQuerySet
from core.uploads import validate_upload


class ConferenceBasis(BaseModel):
    """The legal basis a conference is held under: a list kept as data (Decision 2200-QĐ/TU,
    the Law on Local Government 2025 art. 43, Regulation 11-QĐi/TW, ad hoc...)."""

    name = models.CharField(_("tên"), max_length=255, unique=True)
    short_name = models.CharField(_("tên ngắn"), max_length=64)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("căn cứ tổ chức")
        verbose_name_plural = _("căn cứ tổ chức")

    def __str__(self) -> str:
        return self.short_name


class ConferenceRequirement(BaseModel):
    """How many conferences an area of a kind must hold each year (e.g. at least one a year
    per ward under Decision 2200-QĐ/TU). A rule kept as data."""

    area_kind = models.CharField(_("loại địa bàn"), max_length=32, choices=OrgUnit.Kind.choices, unique=True)
    per_year = models.PositiveSmallIntegerField(_("số hội nghị tối thiểu mỗi năm"), default=1)
    note = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("yêu cầu số hội nghị")
        verbose_name_plural = _("yêu cầu số hội nghị")

    def __str__(self) -> str:
        return f"{self.get_area_kind_display()}: {self.per_year}/năm"


class ConferenceQuerySet(ScopedQuerySet, SearchQuerySet):
    scope_field = "host_area"

    def held(self):
        return self.filter(status__in=Conference.HELD_STATUSES)


class Conference(SearchableModel, BaseModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Đã lên kế hoạch")
        HELD = "held", _("Đã tổ chức")
        CONCLUDED = "concluded", _("Đã có thông báo kết luận")
        CLOSED = "closed", _("Đã hoàn thành")
        CANCELLED = "cancelled", _("Đã hủy")

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Định kỳ")
        AD_HOC = "ad_hoc", _("Đột xuất")

    HELD_STATUSES = (Status.HELD, Status.CONCLUDED, Status.CLOSED)

    host_area = models.ForeignKey(
        OrgUnit, verbose_name=_("địa bàn tổ chức"), on_delete=models.PROTECT, related_name="conferences"
    )
    title = models.CharField(_("tên hội nghị"), max_length=255)
    basis = models.ForeignKey(ConferenceBasis, verbose_name=_("căn cứ"), on_delete=models.PROTECT)
    kind = models.CharField(_("hình thức"), max_length=16, choices=Kind.choices, default=Kind.SCHEDULED)
    starts_at = models.DateTimeField(_("thời gian"), validators=[validate_sensible_date])
    place = models.CharField(_("địa điểm"), max_length=255)
    agenda = BoundedTextField(_("chương trình"), max_length=DOCUMENT_CHARS, blank=True)
    invited_guests = BoundedTextField(_("thành phần mời"), max_length=DOCUMENT_CHARS, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    participant_count = models.PositiveIntegerField(_("số người dự"), null=True, blank=True)
    minutes = BoundedTextField(_("biên bản"), max_length=MINUTES_CHARS, blank=True)
    report_summary = BoundedTextField(_("tóm tắt báo cáo"), max_length=DOCUMENT_CHARS, blank=True)
    held_on = models.DateField(_("ngày tổ chức"), null=True, blank=True, editable=False)
    cancel_reason = BoundedTextField(_("lý do hủy"), max_length=REMARK_CHARS, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("hội nghị đối thoại")
        verbose_name_plural = _("hội nghị đối thoại")
        indexes = [
            models.Index(fields=["host_area", "-starts_at"], name="conference_area_time"),
            models.Index(fields=["status", "-starts_at"], name="conference_status_time"),
            models.Index(fields=["basis", "-starts_at"], name="conference_basis_time"),
            models.Index(fields=["kind", "-starts_at"], name="conference_kind_time"),
            models.Index(fields=["-starts_at"], name="conference_time"),
            models.Index(fields=["status", "held_on"], name="conference_status_held"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d/%m/%Y})"

    def search_source(self) -> list[str | None]:
        # The area's name is read through the cached relation; services set it before saving.
        area_name = self.host_area.name if self.host_area_id else ""
        chairs = [f"{chair.full_name} {chair.title}" for chair in self._chairs_for_search()]
        return [self.title, self.place, area_name, self.agenda, *chairs]

    def _chairs_for_search(self):
        return list(self.chairs.all()) if self.pk else []

    @property
    def is_held(self) -> bool:
        return self.status in self.HELD_STATUSES

    @property
    def is_open_for_entry(self) -> bool:
        """Opinions can be entered before (gathered by the Front) and after it is held, until
        it is closed or cancelled."""
        return self.status in (self.Status.PLANNED, self.Status.HELD, self.Status.CONCLUDED)

    @property
    def local_date(self):
        return timezone.localtime(self.starts_at).date()


class ConferenceChair(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="chairs")
    full_name = models.CharField(_("họ và tên"), max_length=150)
    title = models.CharField(_("chức vụ"), max_length=255)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("chủ trì")
        verbose_name_plural = _("chủ trì")

    def __str__(self) -> str:
        return f"{self.full_name} – {self.title}"


def attachment_path(instance: ConferenceAttachment, filename: str) -> str:
    return f"conferences/{instance.conference_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class ConferenceAttachment(BaseModel):
    class Kind(models.TextChoices):
        MINUTES_SCAN = "minutes", _("Bản scan biên bản")
        PHOTO = "photo", _("Ảnh hội nghị")
        REPORT = "report", _("Báo cáo")
        OTHER = "other", _("Khác")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("tệp"), upload_to=attachment_path, validators=[validate_upload], max_length=255)
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(editable=False, default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.description or self.file.name.rsplit("/", 1)[-1]

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
