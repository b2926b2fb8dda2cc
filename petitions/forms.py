from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filters import AreaSubtreeFilter
from accounts.models import OrgUnit
from core.bounds import DOCUMENT_CHARS, REMARK_CHARS, validate_sensible_date
from core.filters import SearchFilter, ShortListFilter
from dialogue.forms import DateInput
from petitions import ports
from petitions.models import Category, Petition
from petitions.services import PetitionDraft

MERGE_CHOICES = 200
NOTHING_ENTERED = _("Chưa có ý kiến nào được nhập.")


class KnownCategoryField(forms.ModelChoiceField):
    """A category chosen from a list already loaded once for the whole grid (or import):
    ModelChoiceField would query the database again for every row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.known: dict[str, Category] | None = None

    def to_python(self, value):
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.known[str(value)]
        except KeyError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class PetitionRowForm(forms.Form):
    """One row of the fast-entry grid. Fields come in the order a clerk types them."""

    petitioner_type = forms.ChoiceField(
        label=_("Người nêu"), choices=Petition.PetitionerType.choices, initial=Petition.PetitionerType.PERSON
    )
    petitioner_name = forms.CharField(label=_("Họ tên / tổ chức"), max_length=255, required=False)
    petitioner_address = forms.CharField(label=_("Tổ dân phố, địa chỉ"), max_length=255, required=False)
    petitioner_phone = forms.CharField(label=_("Điện thoại di động"), max_length=32, required=False)
    petitioner_email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    message_consent = forms.BooleanField(label=_("Đồng ý nhận tin"), required=False)
    channel = forms.ChoiceField(
        label=_("Nguồn"), choices=Petition.Channel.choices, initial=Petition.Channel.AT_CONFERENCE
    )
    category = KnownCategoryField(label=_("Lĩnh vực"), queryset=Category.objects.none())
    kind = forms.ChoiceField(
        label=_("Loại"), choices=Petition.Kind.choices, initial=Petition.Kind.RECOMMENDATION
    )
    content = forms.CharField(
        max_length=DOCUMENT_CHARS, label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2})
    )
    answered_at_conference = forms.BooleanField(label=_("Đã trả lời tại hội nghị"), required=False)
    conference_answer = forms.CharField(
        max_length=DOCUMENT_CHARS,
        label=_("Nội dung trả lời"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    answered_by = forms.CharField(label=_("Người trả lời"), max_length=255, required=False)

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("petitioner_type", "channel", "category", "kind"):
            # static/js/app.js: accent-free type-ahead ("dat" picks "Đất đai").
            self.fields[name].widget.attrs["data-fold-typeahead"] = ""
        # One category query for the whole grid: the formset passes the evaluated list.
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        if categories is not None:
            self.fields["category"].choices = [("", "---------"), *((c.pk, c.name) for c in categories)]
            self.fields["category"].known = {str(category.pk): category for category in categories}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        for field, errors in self.to_draft().errors().items():
            for error in errors:
                self.add_error(field, error)
        return cleaned

    def to_draft(self) -> PetitionDraft:
        data = self.cleaned_data
        return PetitionDraft(
            kind=data["kind"],
            channel=data["channel"],
            category=data["category"],
            content=data["content"],
            petitioner_type=data["petitioner_type"],
            petitioner_name=data.get("petitioner_name", ""),
            petitioner_address=data.get("petitioner_address", ""),
            petitioner_phone=data.get("petitioner_phone", ""),
            petitioner_email=data.get("petitioner_email", ""),
            message_consent=data.get("message_consent", False),
            answered_at_conference=data.get("answered_at_conference", False),
            conference_answer=data.get("conference_answer", ""),
            answered_by=data.get("answered_by", ""),
        )


class BasePetitionRowFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        categories = list(Category.objects.filter(is_active=True))
        super().__init__(*args, form_kwargs={"categories": categories}, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError(NOTHING_ENTERED)

    def drafts(self) -> list[PetitionDraft]:
        # Rows left untouched (added by Enter but never typed in) are skipped.
        return [form.to_draft() for form in self.forms if form.has_changed()]


PetitionRowFormSet = forms.formset_factory(
    PetitionRowForm, formset=BasePetitionRowFormSet, extra=0, min_num=1, max_num=500, validate_max=True
)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Hướng xử lý"),
        choices=Petition.Outcome.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    conference_answer = forms.CharField(
        max_length=DOCUMENT_CHARS,
        label=_("Nội dung đã trả lời"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    transferred_to = forms.CharField(label=_("Chuyển đến cơ quan"), required=False, max_length=255)
    transferred_on = forms.DateField(
        validators=[validate_sensible_date], label=_("Ngày chuyển"), required=False, widget=DateInput()
    )
    duplicate_of = forms.ModelChoiceField(
        label=_("Trùng với ý kiến"), required=False, queryset=Petition.objects.none()
    )
    rejection_reason = forms.CharField(
        max_length=REMARK_CHARS,
        label=_("Lý do không tiếp nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, petition: Petition, **kwargs):
        super().__init__(*args, **kwargs)
        # Merge candidates: the originals of the same area, the same conference first.
        candidates = (
            Petition.objects.filter(area=petition.area, duplicate_of__isnull=True)
            .exclude(pk=petition.pk)
            .select_related("conference")
            .order_by("-conference__starts_at", "position")
        )
        if petition.conference_id:
            candidates = candidates.filter(conference__host_area=petition.conference.host_area)
        # Validation uses the whole queryset; the drop-down shows the first 200.
        self.fields["duplicate_of"].queryset = candidates
        self.fields["duplicate_of"].choices = [
            ("", "---------"),
            *(
                (other.pk, f"#{other.position} – {other.content[:90]}")
                for other in candidates[:MERGE_CHOICES]
            ),
        ]


class PetitionFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm"))
    # Chosen with the type-ahead of static/js/dashboards.js (its id travels in a hidden field):
    # a select of every area in scope would list 10,000 options at national scale.
    area = AreaSubtreeFilter(
        label=_("Địa bàn"),
        queryset=OrgUnit.objects.none(),
        field_name="area",
        widget=forms.HiddenInput,
    )
    is_open = django_filters.BooleanFilter(
        label=_("Còn phải giải quyết"), method="filter_open", widget=forms.HiddenInput
    )
    # Set by the link from a conference's or notice's page: opinions typed in after the notice.
    after_notice = django_filters.BooleanFilter(
        label=_("Nhập sau khi đã ban hành thông báo"), field_name="after_notice", widget=forms.HiddenInput
    )
    # A hidden filter set by the links from a conference's page: a select of every
    # conference would grow without bound.
    conference = django_filters.NumberFilter(
        label=_("Hội nghị"), field_name="conference", widget=forms.HiddenInput
    )
    category = ShortListFilter(
        label=_("Lĩnh vực"), queryset=Category.objects.all(), empty_label=_("Mọi lĩnh vực")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Loại"), choices=Petition.Kind.choices, empty_label=_("Mọi loại")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Nguồn"), choices=Petition.Channel.choices, empty_label=_("Mọi nguồn")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Hướng xử lý"),
        choices=Petition.Outcome.choices,
        empty_label=_("Mọi hướng xử lý"),
    )
    received_from = django_filters.DateFilter(
        label=_("Từ ngày"), field_name="received_on", lookup_expr="gte", widget=DateInput()
    )
    received_to = django_filters.DateFilter(
        label=_("Đến ngày"), field_name="received_on", lookup_expr="lte", widget=DateInput()
    )
    # The follow-up states the dashboards count (dashboards.metrics.opinion_conditions).
    STATE_CHOICES = (
        ("received", _("Tiếp nhận (trừ ý kiến trùng)")),
        ("merged", _("Trùng, đã gộp")),
        ("answered", _("Đã trả lời tại hội nghị")),
        ("transferred", _("Chuyển cấp có thẩm quyền")),
        ("rejected", _("Không tiếp nhận")),
        ("resolved", _("Đã giải quyết")),
        ("resolved_on_time", _("Giải quyết đúng hạn")),
        ("resolved_late", _("Giải quyết quá hạn")),
        ("open", _("Còn phải giải quyết")),
        ("overdue", _("Quá hạn giải quyết")),
    )
    state = django_filters.ChoiceFilter(
        label=_("Tình trạng"),
        choices=STATE_CHOICES,
        method="filter_state",
        empty_label=_("Mọi tình trạng"),
    )

    class Meta:
        model = Petition
        fields = [
            "q",
            "area",
            "conference",
            "category",
            "kind",
            "channel",
            "outcome",
            "state",
            "received_from",
            "received_to",
            "is_open",
        ]

    @staticmethod
    def state_conditions(today: date) -> dict[str, Q]:
        """One condition per follow-up state; see dashboards.metrics.opinion_conditions."""
        # The assignments belong to conclusions, above this app: asked through the port.
        follow_up = ports.follow_up()
        kept_in_time, late = follow_up.kept_in_time(), follow_up.late_work(today)
        outcome = Petition.Outcome
        answered = Q(outcome=outcome.ANSWERED)
        resolved_by_assignments = Q(resolved_on__isnull=False) & ~answered
        return {
            "received": ~Q(outcome=outcome.DUPLICATE),
            "merged": Q(outcome=outcome.DUPLICATE),
            "answered": answered,
            "transferred": Q(outcome=outcome.TRANSFERRED),
            "rejected": Q(outcome=outcome.REJECTED),
            "resolved": answered | Q(resolved_on__isnull=False),
            "resolved_on_time": answered | (resolved_by_assignments & kept_in_time),
            "resolved_late": resolved_by_assignments & ~kept_in_time,
            "open": Petition.open_condition(),
            "overdue": Petition.open_condition() & late,
        }

    def filter_state(self, queryset, name, value):
        conditions = self.state_conditions(timezone.localdate())
        return queryset.filter(conditions[value]) if value in conditions else queryset

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["area"].queryset = OrgUnit.objects.visible_to(user).areas().order_by("path")

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.exclude(Petition.open_condition())
