"""The filters of the assignment list ("Việc được giao"). The dashboards link here with query
parameters, and their numbers are computed with the same conditions (`show_conditions`), so a
number always equals the count of the list it links to."""

from __future__ import annotations

from datetime import date, timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from conclusions.models import Assignment
from core.filters import ShortListFilter
from dialogue.forms import DateInput
from petitions.models import Category

DUE_SOON_DAYS = 7  # "due soon": the deadline falls within the next 7 calendar days
# Aging buckets of overdue items, in calendar days overdue (Assignment.days_overdue): (name, lo, hi).
AGING_BUCKETS = (("overdue_1_7", 1, 7), ("overdue_8_30", 8, 30), ("overdue_over_30", 31, None))


class AreaSubtreePkFilter(django_filters.NumberFilter):
    """An area given by its id (the dashboards' links; a select of 10,000 areas would not do):
    that area and everything below it, looked up among the areas the user may see, so an
    area out of scope gives an empty list. `field_name` is the relation to the OrgUnit."""

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        user = self.parent.user
        area = OrgUnit.objects.visible_to(user).areas().filter(pk=value).only("path").first()
        if area is None:
            return queryset.none()
        return queryset.filter(**{f"{self.field_name}__path__startswith": area.path})


class AssignmentFilter(django_filters.FilterSet):
    SHOW_CHOICES = (
        ("open", _("Đang thực hiện")),
        ("overdue", _("Quá hạn")),
        ("due_soon", _("Sắp đến hạn (7 ngày)")),
        ("overdue_1_7", _("Quá hạn 1–7 ngày")),
        ("overdue_8_30", _("Quá hạn 8–30 ngày")),
        ("overdue_over_30", _("Quá hạn trên 30 ngày")),
        ("reported", _("Chờ nghiệm thu")),
        ("accepted", _("Đã nghiệm thu")),
        ("all", _("Tất cả")),
    )

    show = django_filters.ChoiceFilter(
        label=_("Hiển thị"), choices=SHOW_CHOICES, method="filter_show", empty_label=None
    )
    agency = django_filters.NumberFilter(
        label=_("Cơ quan chủ trì"), field_name="lead_agency", widget=forms.HiddenInput
    )
    # The agencies of one area itself, not those of the areas below it (the dashboards' ranking).
    agency_area = django_filters.NumberFilter(
        label=_("Cơ quan thuộc địa bàn"), field_name="lead_agency__area", widget=forms.HiddenInput
    )
    area = AreaSubtreePkFilter(label=_("Địa bàn"), field_name="lead_agency", widget=forms.HiddenInput)
    conference = django_filters.NumberFilter(
        label=_("Hội nghị"), field_name="notice__conference", widget=forms.HiddenInput
    )
    category = ShortListFilter(
        label=_("Lĩnh vực"),
        queryset=Category.objects.all(),
        method="filter_category",
        empty_label=_("Mọi lĩnh vực"),
    )
    deadline_from = django_filters.DateFilter(
        label=_("Hạn từ ngày"), field_name="deadline", lookup_expr="gte", widget=DateInput()
    )
    deadline_to = django_filters.DateFilter(
        label=_("Hạn đến ngày"), field_name="deadline", lookup_expr="lte", widget=DateInput()
    )

    # The dashboards' "work arising in the period" (AssignmentQuerySet.arising_in).
    arising_from = django_filters.DateFilter(
        label=_("Phát sinh từ ngày"), method="filter_arising_from", widget=forms.HiddenInput
    )
    arising_to = django_filters.DateFilter(
        label=_("Phát sinh đến ngày"), method="filter_arising_to", widget=forms.HiddenInput
    )

    class Meta:
        model = Assignment
        fields = [
            "show",
            "agency",
            "agency_area",
            "area",
            "conference",
            "category",
            "deadline_from",
            "deadline_to",
            "arising_from",
            "arising_to",
        ]

    def filter_arising_from(self, queryset, name, value):
        return queryset.arising_from(value)

    def filter_arising_to(self, queryset, name, value):
        return queryset.arising_until(value)

    def __init__(self, *args, user, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today or timezone.localdate()

    @staticmethod
    def show_conditions(today: date) -> dict[str, Q]:
        """Conditions on OPEN assignments (Assignment.objects.open()): overdue (deadline before
        today), due soon (today ≤ deadline ≤ today + 7) and the aging buckets by days overdue."""
        conditions = {
            "overdue": Q(deadline__lt=today),
            "due_soon": Q(deadline__gte=today, deadline__lte=today + timedelta(days=DUE_SOON_DAYS)),
        }
        for name, low, high in AGING_BUCKETS:
            bucket = Q(deadline__lte=today - timedelta(days=low))
            if high is not None:
                bucket &= Q(deadline__gte=today - timedelta(days=high))
            conditions[name] = bucket
        return conditions

    def filter_show(self, queryset, name, value):
        if value == "all":
            return queryset.open() | queryset.filter(status=Assignment.Status.ACCEPTED)
        if value == "accepted":
            return queryset.filter(status=Assignment.Status.ACCEPTED)
        if value == "reported":
            return queryset.open().filter(status=Assignment.Status.REPORTED_DONE)
        conditions = self.show_conditions(self.today)
        return queryset.open().filter(conditions[value]) if value in conditions else queryset.open()

    def filter_category(self, queryset, name, value):
        if not value:
            return queryset
        # Exists, not a join: an assignment answering two opinions of the category counts once.
        answers = Assignment.petitions.through.objects.filter(
            assignment=OuterRef("pk"), petition__category=value
        )
        return queryset.filter(Exists(answers))
