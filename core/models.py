from django.db import models
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
