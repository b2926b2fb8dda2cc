from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import REMARK_CHARS
from petitions.intake_forms import TrackingForm
from petitions.models import CitizenVerdict


class VerdictForm(TrackingForm):
    """The citizen's verdict on the official answer, keyed by the tracking code they hold."""

    verdict = forms.ChoiceField(
        label=_("Vấn đề của bạn đã được giải quyết chưa?"),
        choices=CitizenVerdict.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn một trong các câu trả lời."),
            "invalid_choice": _("Hãy chọn một trong các câu trả lời."),
        },
    )
    comment = forms.CharField(
        label=_("Ý kiến thêm (không bắt buộc)"),
        max_length=REMARK_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Không ghi họ tên, số điện thoại: ý kiến chỉ cán bộ xử lý đọc."),
    )
