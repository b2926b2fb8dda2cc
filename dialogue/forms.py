from __future__ import annotations

import re
from datetime import date, datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filters import AreaSubtreeFilter
from accounts.models import OrgUnit
from core.bounds import DOCUMENT_CHARS, MINUTES_CHARS, REMARK_CHARS, validate_sensible_date
from core.filters import SearchFilter, ShortListFilter
from core.uploads import ACCEPT_ATTRIBUTE
from dialogue.defaults import VOTER_MEETING_BASIS
from dialogue.models import Conference, ConferenceAttachment, ConferenceBasis, ConferenceChair
from dialogue.services import (
    CANNOT_HOLD_IN_FUTURE,
    MAX_CHAIRS,
    TOO_MANY_CHAIRS,
    VOTER_MEETING_FIELDS,
    Chair,
    counted_by_requirement,
    requirements_in_force,
)

DATE_AND_TIME_TOGETHER = _("Hãy ghi cả ngày và giờ tổ chức thực tế.")
CHAIR_LINE_INVALID = _("Dòng %(line)s: hãy viết “Họ và tên – Chức vụ”.")
CHAIRS_REQUIRED = _("Hội nghị cần ít nhất một người chủ trì.")
CHAIR_TOO_LONG = _("Dòng %(line)s: họ tên tối đa %(name)s ký tự, chức vụ tối đa %(title)s ký tự.")
DATE_PLACEHOLDER = "dd/mm/yyyy"
_CHAIR_SEPARATOR = re.compile(r"\s+[–—-]\s+|\s*[,;]\s+")


# The columns the chairs are kept in (a name longer than its column was a server error).
CHAIR_NAME_CHARS = ConferenceChair._meta.get_field("full_name").max_length
CHAIR_TITLE_CHARS = ConferenceChair._meta.get_field("title").max_length


def _parse_chair(number: int, line: str) -> Chair:
    """One line, "name – title", that fits the columns; a ValidationError naming the line."""
    parts = _CHAIR_SEPARATOR.split(line, maxsplit=1)
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        raise forms.ValidationError(CHAIR_LINE_INVALID, params={"line": number})
    chair = Chair(full_name=parts[0].strip(), title=parts[1].strip())
    if len(chair.full_name) > CHAIR_NAME_CHARS or len(chair.title) > CHAIR_TITLE_CHARS:
        raise forms.ValidationError(
            CHAIR_TOO_LONG, params={"line": number, "name": CHAIR_NAME_CHARS, "title": CHAIR_TITLE_CHARS}
        )
    return chair


def parse_chairs(text: str) -> list[Chair]:
    """One chair a line, "Nguyễn Thị Thanh Hằng – Bí thư Đảng ủy phường": fast to type. Every
    line's problem is told at once."""
    chairs, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            chairs.append(_parse_chair(number, line.strip()))
        except forms.ValidationError as error:
            errors.append(error)
    if len(chairs) > MAX_CHAIRS:
        errors.append(forms.ValidationError(TOO_MANY_CHAIRS, params={"count": MAX_CHAIRS}))
    if errors:
        raise forms.ValidationError(errors)
    if not chairs:
        raise forms.ValidationError(CHAIRS_REQUIRED)
    return chairs


def area_choices(user):
    """Areas in which this user may organise a conference: those they may edit."""
    return OrgUnit.objects.editable_by(user).areas().order_by("path")


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, **kwargs):
        super().__init__(
            format="%d/%m/%Y",
            attrs={"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", "autocomplete": "off", **kwargs},
        )


class ConferenceForm(forms.ModelForm):
    starts_on = forms.DateField(label=_("Ngày"), widget=DateInput(), validators=[validate_sensible_date])
    starts_time = forms.TimeField(
        label=_("Giờ"),
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "14:00", "inputmode": "numeric"}),
    )
    chairs_text = forms.CharField(
        max_length=REMARK_CHARS,
        label=_("Chủ trì"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi người một dòng: Họ và tên – Chức vụ."),
    )

    class Meta:
        model = Conference
        fields = [
            "host_area",
            "title",
            "meeting_type",
            "basis",
            "kind",
            "place",
            "agenda",
            "invited_guests",
            "deputy_level",
            "deputies",
            "session",
            "session_timing",
            "forwarded_to",
        ]
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "invited_guests": forms.Textarea(attrs={"rows": 3}),
            "deputies": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, meeting_type: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_area"].queryset = area_choices(user)
        self.fields["basis"].queryset = ConferenceBasis.objects.filter(is_active=True)
        self.fields["meeting_type"].required = False  # not sent: a dialogue, as before voter meetings
        if meeting_type in Conference.MeetingType.values and not self.instance.pk:
            self.initial["meeting_type"] = meeting_type
            if meeting_type == Conference.MeetingType.VOTER_MEETING:
                self.initial["basis"] = (
                    ConferenceBasis.objects.filter(is_active=True, name=VOTER_MEETING_BASIS)
                    .values_list("pk", flat=True)
                    .first()
                )
        if self.instance.pk:
            local = timezone.localtime(self.instance.starts_at)
            self.initial.update(
                starts_on=local.date(), starts_time=local.time().replace(second=0, microsecond=0)
            )
            self.initial["chairs_text"] = "\n".join(
                f"{chair.full_name} – {chair.title}" for chair in self.instance.chairs.all()
            )
        if not self.instance.pk and user.area is not None:
            self.initial.setdefault("host_area", user.area.pk)
            self.initial.setdefault(
                "basis", ConferenceBasis.objects.filter(is_active=True).values_list("pk", flat=True).first()
            )
        self.order_fields(
            [
                "host_area",
                "meeting_type",
                "title",
                "basis",
                "kind",
                "starts_on",
                "starts_time",
                "place",
                "chairs_text",
            ]
        )

    def clean_chairs_text(self) -> list[Chair]:
        return parse_chairs(self.cleaned_data["chairs_text"])

    def clean(self):
        data = super().clean()
        data["meeting_type"] = data.get("meeting_type") or Conference.MeetingType.DIALOGUE
        if data["meeting_type"] != Conference.MeetingType.VOTER_MEETING:
            # A dialogue has no deputies: what was typed before switching the type is dropped.
            for name in VOTER_MEETING_FIELDS:
                data[name] = ""
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        starts_at = timezone.make_aware(
            datetime.combine(data["starts_on"], data["starts_time"]), timezone.get_current_timezone()
        )
        fields = {name: data[name] for name in self.Meta.fields}
        return {**fields, "starts_at": starts_at, "chairs": data["chairs_text"]}


class HoldForm(forms.Form):
    """The minutes, and when the conference actually began: planned times slip, and the day
    held is where deadlines may count from. The time is fixed once a notice is issued."""

    # Shown filled with the planned time; left empty (an API-like post), the plan stands.
    actual_date = forms.DateField(
        label=_("Ngày tổ chức thực tế"),
        widget=DateInput(),
        validators=[validate_sensible_date],
        required=False,
    )
    actual_time = forms.TimeField(
        label=_("Giờ bắt đầu thực tế"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "14:00", "inputmode": "numeric"}),
    )
    participant_count = forms.IntegerField(label=_("Số người dự"), min_value=1, max_value=100_000)
    minutes = forms.CharField(
        max_length=MINUTES_CHARS,
        label=_("Biên bản hội nghị"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Diễn biến chính, ý kiến phát biểu, kết luận của chủ trì."),
    )
    report_summary = forms.CharField(
        max_length=DOCUMENT_CHARS,
        label=_("Tóm tắt báo cáo"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        if conference.status in (Conference.Status.PLANNED, Conference.Status.HELD):
            local = timezone.localtime(conference.starts_at)
            self.initial.setdefault("actual_date", local.date())
            self.initial.setdefault("actual_time", local.time().replace(second=0, microsecond=0))
        else:
            del self.fields["actual_date"], self.fields["actual_time"]

    def clean(self) -> dict:
        data = super().clean()
        day, time = data.pop("actual_date", None), data.pop("actual_time", None)
        parsed = "actual_date" in self.fields and not (
            self.has_error("actual_date") or self.has_error("actual_time")
        )
        if parsed and bool(day) != bool(time):
            self.add_error("actual_date" if not day else "actual_time", DATE_AND_TIME_TOGETHER)
        if day and time:
            starts_at = timezone.make_aware(datetime.combine(day, time))
            if starts_at > timezone.now():
                self.add_error("actual_date", CANNOT_HOLD_IN_FUTURE)
            data["starts_at"] = starts_at
        return data

    # The services' argument `starts_at` is typed in two fields; its errors go beside the date.
    FIELD_OF = {"starts_at": "actual_date"}


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=REMARK_CHARS, label=_("Lý do hủy"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = ConferenceAttachment
        fields = ["file", "kind", "description"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE})}


YEAR_CHOICES_BACK = 8


def year_choices():
    this_year = timezone.localdate().year
    return [("", _("Mọi năm"))] + [
        (str(year), str(year)) for year in range(this_year + 1, this_year - YEAR_CHOICES_BACK, -1)
    ]


class ConferenceFilter(django_filters.FilterSet):
    """The list's filters; every one of them is served by an index on Conference."""

    q = SearchFilter(label=_("Tìm"))
    # Chosen with the type-ahead of static/js/dashboards.js (its id travels in a hidden field):
    # a select of every area in scope would list 10,000 options at national scale.
    host_area = AreaSubtreeFilter(
        label=_("Địa bàn"),
        queryset=OrgUnit.objects.none(),
        field_name="host_area",
        widget=forms.HiddenInput,
    )
    year = django_filters.ChoiceFilter(
        label=_("Năm"), choices=year_choices, method="filter_year", empty_label=None
    )
    date_from = django_filters.DateFilter(
        label=_("Từ ngày"), field_name="starts_at", lookup_expr="date__gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("Đến ngày"), field_name="starts_at", lookup_expr="date__lte", widget=DateInput()
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=Conference.Status.choices,
        empty_label=_("Mọi trạng thái"),
    )
    basis = ShortListFilter(
        label=_("Căn cứ"), queryset=ConferenceBasis.objects.all(), empty_label=_("Mọi căn cứ")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Hình thức"),
        choices=Conference.Kind.choices,
        empty_label=_("Định kỳ và đột xuất"),
    )
    meeting_type = django_filters.ChoiceFilter(
        label=_("Loại hội nghị"),
        choices=Conference.MeetingType.choices,
        empty_label=_("Đối thoại và tiếp xúc cử tri"),
    )
    # "Held in a period" as the dashboards count it: a held status and the day it was held.
    held = django_filters.BooleanFilter(label=_("Đã tổ chức"), method="filter_held", widget=forms.HiddenInput)
    # "Counted by the yearly requirement" as the supervision dashboard counts it (with held_from/to).
    counted = django_filters.BooleanFilter(
        label=_("Tính theo quy định"), method="filter_counted", widget=forms.HiddenInput
    )
    held_from = django_filters.DateFilter(
        label=_("Tổ chức từ ngày"), field_name="held_on", lookup_expr="gte", widget=forms.HiddenInput
    )
    held_to = django_filters.DateFilter(
        label=_("Tổ chức đến ngày"), field_name="held_on", lookup_expr="lte", widget=forms.HiddenInput
    )

    class Meta:
        model = Conference
        fields = [
            "q",
            "host_area",
            "year",
            "date_from",
            "date_to",
            "status",
            "basis",
            "kind",
            "meeting_type",
            "held",
            "counted",
            "held_from",
            "held_to",
        ]

    def filter_counted(self, queryset, name, value):
        """The conferences the requirements in force over held_from–held_to (this year without
        them) count: dialogue.services.counted_by_requirement."""
        if not value:
            return queryset
        data = self.form.cleaned_data
        year = timezone.localdate().year
        first = data.get("held_from") or date(year, 1, 1)
        last = data.get("held_to") or date(year, 12, 31)
        return queryset.filter(counted_by_requirement(requirements_in_force(first, last)))

    def filter_held(self, queryset, name, value):
        if value is None:
            return queryset
        held = {"status__in": Conference.HELD_STATUSES}
        return queryset.filter(**held) if value else queryset.exclude(**held)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["host_area"].queryset = OrgUnit.objects.visible_to(user).areas().order_by("path")

    def filter_year(self, queryset, name, value):
        return queryset.filter(starts_at__year=int(value)) if value else queryset
