from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import fold, search_terms


class BaseModel(models.Model):
    """Every domain model: creation and change times, and a full change history
    (who, when, what) through django-simple-history."""

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class SearchQuerySet(models.QuerySet):
    def search(self, query: str | None):
        """Accent-free search: every folded word of the query must occur in `search_text`.

        `contains` on an already folded, lower-case column is a plain LIKE, which the trigram
        index serves on PostgreSQL (see core.migration_ops.TrigramIndex)."""
        queryset = self
        for term in search_terms(query):
            queryset = queryset.filter(search_text__contains=term)
        return queryset


class SearchableModel(models.Model):
    """A model with a folded `search_text` column, refilled on every save.

    Subclasses list what is searched in `search_source()`. Bulk inserts must call
    `refresh_search_text()` themselves because `bulk_create` skips `save()`."""

    search_text = models.TextField(editable=False, default="", blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def search_source(self) -> list[str | None]:
        raise NotImplementedError

    def refresh_search_text(self) -> None:
        self.search_text = fold(" ".join(part for part in self.search_source() if part))


class CalendarOverride(BaseModel):
    """A day the government swapped: a weekday off or a Saturday worked (see core.calendar)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ thêm")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    note = models.CharField(
        _("căn cứ"), max_length=255, blank=True, help_text=_("Ví dụ: Thông báo 6150/TB-BLĐTBXH")
    )

    class Meta:
        ordering = ["-day"]
        verbose_name = _("ngày nghỉ/làm bù")
        verbose_name_plural = _("ngày nghỉ/làm bù")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} – {self.get_kind_display()}"


def export_file_path(instance: ExportJob, filename: str) -> str:
    return f"exports/{instance.created_at or timezone.now():%Y/%m}/{instance.pk}-{filename}"


class ExportJobQuerySet(models.QuerySet):
    def owned_by(self, user):
        """Export files are personal: only the user who asked for one sees or downloads it."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(requested_by=user)

    def expired(self, before: datetime):
        """Finished (done or failed) before `before`: the periodic cleanup removes them."""
        return self.filter(status__in=ExportJob.FINISHED_STATUSES, finished_at__lt=before)

    def stalled(self, before: datetime):
        """Running since before `before`: the worker was killed mid-way (tasks are acked late,
        but a file half written is not resumed)."""
        return self.filter(status=ExportJob.Status.RUNNING, started_at__lt=before)


class ExportJob(models.Model):
    """A file built in the background (core.exports): a large statistics workbook, a list of
    opinions or assignments. Infrastructure, not a domain record: no change history, because
    its progress is rewritten many times while it runs."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Bị lỗi")

    FINISHED_STATUSES = (Status.DONE, Status.FAILED)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    kind = models.CharField(_("loại"), max_length=100)
    title = models.CharField(_("tên tệp"), max_length=255)
    parameters = models.JSONField(_("tham số"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    rows_total = models.PositiveIntegerField(_("tổng số dòng"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    file = models.FileField(_("tệp"), upload_to=export_file_path, blank=True, max_length=255)
    filename = models.CharField(_("tên tệp tải về"), max_length=255, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tệp xuất")
        verbose_name_plural = _("tệp xuất")
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="exportjob_owner_created"),
            models.Index(fields=["status", "finished_at"], name="exportjob_status_finished"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="exportjob_progress_max_100"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED_STATUSES

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)
