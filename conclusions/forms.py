from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, Role, User
from conclusions import services
from conclusions.models import Assignment, ConclusionNotice, NoticeItem
from conclusions.services import DeadlineSpec, ReportedFile
from core.bounds import DOCUMENT_CHARS, REMARK_CHARS, validate_sensible_date
from core.deadline_warning import DeadlineWarningMixin
from core.uploads import ACCEPT_ATTRIBUTE, validate_upload
from dialogue.forms import DateInput
from petitions.models import Petition

ITEMS_REQUIRED = _("Thông báo cần ít nhất một mục kết luận.")
_BLANK_LINES = re.compile(r"\n\s*\n")
_LEADING_NUMBER = re.compile(r"^\s*\d+\s*[.)]\s*")

DEFAULT_RECIPIENTS = "Thường trực Đảng ủy, HĐND, UBND phường\nỦy ban MTTQ và các đoàn thể phường\nCác cơ quan, đơn vị liên quan\nLưu: VT"


def parse_items(text: str) -> list[str]:
    """Items are paragraphs separated by a blank line; a typed "1." in front is dropped
    because the notice numbers its items itself."""
    return [
        _LEADING_NUMBER.sub("", block.strip(), count=1) for block in _BLANK_LINES.split(text) if block.strip()
    ]


class NoticeForm(forms.ModelForm):
    items_text = forms.CharField(
        max_length=DOCUMENT_CHARS,
        label=_("Các mục kết luận"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Mỗi mục một đoạn, các mục cách nhau bằng một dòng trống. Hệ thống tự đánh số 1, 2, 3…"),
    )

    class Meta:
        model = ConclusionNotice
        fields = [
            "issuing_body",
            "summary",
            "preamble",
            "closing",
            "recipients",
            "signer",
            "sign_mode",
            "signer_title",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "preamble": forms.Textarea(attrs={"rows": 4}),
            "closing": forms.Textarea(attrs={"rows": 2}),
            "recipients": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, area: OrgUnit, conference=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_body"].queryset = OrgUnit.objects.filter(
            parent=area, kind__in=[OrgUnit.Kind.PARTY_COMMITTEE, OrgUnit.Kind.PEOPLES_COMMITTEE]
        ).order_by("kind")
        # Leaders who sign: those of the area (and, for an old unit, of the area that succeeded it).
        self.fields["signer"].queryset = User.objects.filter(
            User.role_filter(Role.LEADER), is_active=True
        ).filter(agency__area__in=[area.pk, *([area.successor_id] if area.successor_id else [])])
        self.fields["signer"].label_from_instance = lambda user: f"{user.full_name} – {user.title}"
        if self.instance.pk:
            self.initial["items_text"] = "\n\n".join(item.text for item in self.instance.items.all())
        else:
            self.initial.setdefault("sign_mode", ConclusionNotice.SignMode.ON_BEHALF)
            self.initial.setdefault("signer_title", "CHỦ TỊCH")
            self.initial.setdefault("recipients", DEFAULT_RECIPIENTS)
            committee = (
                self.fields["issuing_body"].queryset.filter(kind=OrgUnit.Kind.PEOPLES_COMMITTEE).first()
            )
            if committee:
                self.initial.setdefault("issuing_body", committee.pk)
            if conference is not None:
                self.initial.setdefault(
                    "summary",
                    f"Kết luận của người đứng đầu cấp ủy, chính quyền tại hội nghị đối thoại với Nhân dân "
                    f"ngày {conference.local_date:%d/%m/%Y}",
                )
                self.initial.setdefault(
                    "preamble",
                    f"Ngày {conference.local_date:%d/%m/%Y}, tại {conference.place}, {conference.host_area.name} "
                    f"tổ chức {conference.title[0].lower() + conference.title[1:]}. "
                    "Sau khi nghe ý kiến của Mặt trận Tổ quốc, các tổ chức chính trị - xã hội và Nhân dân, "
                    "chủ trì hội nghị kết luận như sau:",
                )
        self.order_fields(["issuing_body", "summary", "preamble", "items_text", "closing"])

    def clean_items_text(self) -> list[str]:
        items = parse_items(self.cleaned_data["items_text"])
        if not items:
            raise forms.ValidationError(ITEMS_REQUIRED)
        if len(items) > services.MAX_NOTICE_ITEMS:
            raise forms.ValidationError(services.TOO_MANY_ITEMS, params={"count": services.MAX_NOTICE_ITEMS})
        return items

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        return {"items": data.pop("items_text"), **data}


class AssignmentForm(DeadlineWarningMixin, forms.Form):
    item = forms.ModelChoiceField(label=_("Thuộc mục kết luận"), queryset=NoticeItem.objects.none())
    task = forms.CharField(
        max_length=DOCUMENT_CHARS, label=_("Nội dung công việc"), widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_agency = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=OrgUnit.objects.none())
    coordinating_agencies = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"),
        queryset=OrgUnit.objects.none(),
        required=False,
        # Ticks with a filter box (static/js/pick-filter.js) rather than a Ctrl+click list:
        # several agencies are chosen by keyboard and found by typing without accents.
        widget=forms.CheckboxSelectMultiple,
    )
    responsible_person = forms.ModelChoiceField(
        label=_("Người chịu trách nhiệm"), queryset=User.objects.none(), required=False
    )
    petitions = forms.ModelMultipleChoiceField(
        label=_("Giải quyết các ý kiến"),
        queryset=Petition.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline_rule = forms.ChoiceField(
        label=_("Cách tính hạn"),
        choices=Assignment.DeadlineRule.choices,
        initial=Assignment.DeadlineRule.FIXED_DATE,
    )
    deadline = forms.DateField(
        validators=[validate_sensible_date], label=_("Hạn (ngày cụ thể)"), required=False, widget=DateInput()
    )
    deadline_days = forms.IntegerField(label=_("Số ngày"), required=False, min_value=1, max_value=365)

    def __init__(self, *args, notice, open_petitions, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        area = notice.area
        bodies = (
            OrgUnit.objects.filter(path__startswith=area.path)
            .exclude(kind__in=OrgUnit.AREA_KINDS)
            .order_by("name")
        )
        self.fields["item"].queryset = notice.items.all()
        self.fields["item"].label_from_instance = lambda item: f"{item.position}. {item.text[:80]}"
        self.fields["lead_agency"].queryset = bodies
        self.fields["coordinating_agencies"].queryset = bodies
        self.fields["responsible_person"].queryset = User.objects.filter(
            agency__path__startswith=area.path, is_active=True
        ).select_related("agency")
        self.fields["responsible_person"].label_from_instance = lambda user: (
            f"{user.full_name} – {user.agency}"
        )
        self.fields["petitions"].queryset = open_petitions
        self.fields["petitions"].label_from_instance = lambda petition: (
            f"#{petition.position} {petition.content[:110]}"
        )

    def deadline_applies(self) -> bool:
        """A date before the conference is refused outright by the service: no warning first."""
        day, conference = self.cleaned_data.get("deadline"), self.notice.conference
        if conference and day and day < conference.local_date:
            return False
        return self.cleaned_data.get("deadline_rule") == Assignment.DeadlineRule.FIXED_DATE

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "item": data["item"],
            "task": data["task"],
            "lead_agency": data["lead_agency"],
            "coordinating_agencies": list(data["coordinating_agencies"]),
            "responsible_person": data["responsible_person"],
            "petitions": list(data["petitions"]),
            "deadline": DeadlineSpec(
                rule=data["deadline_rule"], on=data["deadline"], days=data["deadline_days"]
            ),
        }


class ProgressForm(forms.Form):
    text = forms.CharField(
        max_length=DOCUMENT_CHARS, label=_("Tiến độ, kết quả"), widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(
        label=_("Tệp kết quả (nếu có)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )


class ReportDoneForm(forms.Form):
    answer_to_citizen = forms.CharField(
        max_length=DOCUMENT_CHARS,
        label=_("Văn bản trả lời người dân"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Nội dung trả lời gửi người có ý kiến; người dân xem được khi tra cứu."),
    )


class ReportDoneFilesForm(ReportDoneForm):
    """The report with a result file kept with this answer version; the handler says whether
    the file may be published with the answer."""

    answer_file = forms.FileField(
        label=_("Tệp kết quả kèm trả lời"), required=False, validators=[validate_upload]
    )
    file_public = forms.BooleanField(
        label=_("Cho phép công khai tệp này trên trang tra cứu"),
        required=False,
        help_text=_("Chỉ với kiến nghị, phản ánh, đề xuất; khiếu nại, tố cáo chỉ công khai kết quả."),
    )

    def service_data(self) -> dict:
        data = {"answer_to_citizen": self.cleaned_data["answer_to_citizen"]}
        if self.cleaned_data.get("answer_file"):
            data["files"] = [
                ReportedFile(
                    file=self.cleaned_data["answer_file"], publishable=self.cleaned_data["file_public"]
                )
            ]
        return data


class WithholdForm(forms.Form):
    reason = forms.CharField(
        max_length=REMARK_CHARS,
        label=_("Lý do không công khai"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class KeepAnswerForm(forms.Form):
    explanation = forms.CharField(
        max_length=REMARK_CHARS,
        label=_("Giải thích cho người dân"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Người dân đọc được lời giải thích này trên trang tra cứu."),
    )


class ReassignForm(forms.Form):
    task = forms.CharField(
        max_length=DOCUMENT_CHARS, label=_("Nội dung công việc"), widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_agency = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=OrgUnit.objects.none())
    deadline = forms.DateField(validators=[validate_sensible_date], label=_("Hạn xử lý"), widget=DateInput())

    def __init__(self, *args, petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = OrgUnit.objects.subtree(petition.area).bodies().order_by("name")


class ReturnForm(forms.Form):
    reason = forms.CharField(
        max_length=REMARK_CHARS,
        label=_("Lý do trả lại"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExtensionForm(forms.Form):
    requested_deadline = forms.DateField(
        validators=[validate_sensible_date], label=_("Đề nghị gia hạn đến"), widget=DateInput()
    )
    reason = forms.CharField(
        max_length=REMARK_CHARS, label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Đồng ý gia hạn")), ("0", _("Không đồng ý"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        max_length=REMARK_CHARS, label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
