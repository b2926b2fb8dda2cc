from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import validate_sensible_date
from dashboards.metrics import ARISING, DUE, Period
from dialogue.forms import DateInput
from petitions.models import Category

PERIOD_REVERSED = _("Ngày bắt đầu phải trước ngày kết thúc.")
PERIOD_TOO_LONG = _("Chỉ xem được tối đa 10 năm một lần.")
MAX_PERIOD_DAYS = 3653


class ReviewFilterForm(forms.Form):
    """The filters of the leader's overdue review. The agency and conference choices are the
    ones present in the review (set by the view from what it has already read)."""

    # Any id is accepted: an agency with nothing to review just shows an empty review.
    agency = forms.IntegerField(label=_("Cơ quan chủ trì"), required=False, widget=forms.Select)
    category = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=Category.objects.all(), required=False, empty_label=_("Mọi lĩnh vực")
    )
    conference = forms.TypedChoiceField(label=_("Hội nghị"), required=False, coerce=int, empty_value=None)
    deadline_from = forms.DateField(
        validators=[validate_sensible_date], label=_("Hạn từ ngày"), required=False, widget=DateInput()
    )
    deadline_to = forms.DateField(
        validators=[validate_sensible_date], label=_("Hạn đến ngày"), required=False, widget=DateInput()
    )

    def __init__(self, *args, conferences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].choices = [("", _("Mọi hội nghị")), *conferences]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("deadline_from"), cleaned.get("deadline_to")
        if start and end and start > end:
            self.add_error("deadline_to", PERIOD_REVERSED)
        return cleaned


class SupervisionForm(forms.Form):
    """Area (chosen by type-ahead: its id travels in a hidden field), period, and which of the
    period's assignments: the work that arose in it (default) or the work due in it."""

    area = forms.IntegerField(required=False, widget=forms.HiddenInput)
    start = forms.DateField(validators=[validate_sensible_date], label=_("Từ ngày"), widget=DateInput())
    end = forms.DateField(validators=[validate_sensible_date], label=_("Đến ngày"), widget=DateInput())
    work = forms.ChoiceField(
        label=_("Việc được giao trong kỳ"),
        choices=[
            (ARISING, _("Việc từ hội nghị tổ chức trong kỳ")),
            (DUE, _("Việc đến hạn trong kỳ")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, data=None, *, today: date, **kwargs):
        year = Period.year_of(today)
        data = data.copy() if data is not None else {}
        data.setdefault("start", f"{year.start:%d/%m/%Y}")
        data.setdefault("end", f"{year.end:%d/%m/%Y}")
        data.setdefault("work", ARISING)
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", PERIOD_REVERSED)
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", PERIOD_TOO_LONG)
        return cleaned

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])

    @property
    def basis(self) -> str:
        return self.cleaned_data["work"]


class RemarkForm(forms.Form):
    text = forms.CharField(
        label=_("Ý kiến giám sát"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Trả lời"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
