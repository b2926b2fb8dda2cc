"""Forms of written petitions, citizen reception and their handling (intake_views), and of
the public tracking page. The assignment and extension forms are used by conclusions' views
(a higher layer may import these; this module imports nothing above petitions)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, Role, User
from core.bounds import DOCUMENT_CHARS, MINUTES_CHARS, REMARK_CHARS, validate_sensible_date
from core.deadline_warning import DeadlineWarningMixin
from core.uploads import validate_upload
from dialogue.forms import DateInput
from petitions.contact import contact_errors, normalize_email, normalize_phone
from petitions.models import TRACKING_ALPHABET, TRACKING_LENGTH, Category, Petition
from petitions.services import WrittenPetitionData


def add_contact_errors(form: forms.Form, cleaned: dict) -> None:
    """The contact's problems beside their fields; a valid contact is kept normalized."""
    problems = contact_errors(
        phone=cleaned.get("petitioner_phone", ""),
        email=cleaned.get("petitioner_email", ""),
        consent=cleaned.get("message_consent", False),
    )
    for name, messages in problems.items():
        for message in messages:
            form.add_error(name, message)
    if not problems:
        cleaned["petitioner_phone"] = normalize_phone(cleaned.get("petitioner_phone"))
        cleaned["petitioner_email"] = normalize_email(cleaned.get("petitioner_email"))


BAD_CODE = _("Mã tra cứu gồm 10 ký tự (chữ và số), ví dụ ABCDE-23456.")


class WrittenPetitionForm(forms.Form):
    received_on = forms.DateField(
        validators=[validate_sensible_date], label=_("Ngày nhận đơn"), widget=DateInput()
    )
    channel = forms.ChoiceField(
        label=_("Nguồn"),
        choices=[
            (value, label) for value, label in Petition.Channel.choices if value in Petition.WRITTEN_CHANNELS
        ],
        initial=Petition.Channel.LETTER,
    )
    kind = forms.ChoiceField(
        label=_("Loại đơn"),
        choices=[(kind.value, kind.label) for kind in Petition.Kind if kind != Petition.Kind.PROPOSAL],
        initial=Petition.Kind.COMPLAINT,
    )
    complaint_round = forms.TypedChoiceField(
        label=_("Khiếu nại"),
        coerce=int,
        choices=[(1, _("Lần đầu")), (2, _("Lần hai"))],
        initial=1,
        required=False,
        empty_value=1,
        help_text=_("Chỉ dùng cho khiếu nại: thụ lý trong 10 ngày (Luật Khiếu nại 2011, Điều 27, Điều 36)."),
    )
    verified_in_several_places = forms.BooleanField(
        label=_("Phải kiểm tra, xác minh tại nhiều địa điểm"),
        required=False,
        help_text=_(
            "Chỉ dùng cho tố cáo: thụ lý trong 10 ngày làm việc thay vì 7 (Luật Tố cáo 2018, Điều 24 khoản 1)."
        ),
    )
    category = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Category.objects.filter(is_active=True))
    petitioner_type = forms.ChoiceField(
        label=_("Người gửi"), choices=Petition.PetitionerType.choices, initial=Petition.PetitionerType.PERSON
    )
    petitioner_name = forms.CharField(label=_("Họ tên / tên tổ chức"), max_length=255, required=False)
    petitioner_id_number = forms.CharField(label=_("Số CCCD/định danh"), max_length=32, required=False)
    petitioner_phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    petitioner_email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    message_consent = forms.BooleanField(
        label=_("Đồng ý nhận tin nhắn (SMS, Zalo, e-mail) về đơn"),
        required=False,
        help_text=_(
            "Chỉ gửi tin khi người gửi đồng ý; họ ngừng nhận được bằng đường dẫn trên trang tra cứu."
        ),
    )
    petitioner_address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    content = forms.CharField(
        max_length=DOCUMENT_CHARS, label=_("Nội dung đơn"), widget=forms.Textarea(attrs={"rows": 5})
    )
    attachment = forms.FileField(
        label=_("Bản quét đơn, tài liệu kèm theo"), required=False, validators=[validate_upload]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        add_contact_errors(self, cleaned)
        return cleaned

    def data_for_service(self) -> WrittenPetitionData:
        data = {key: value for key, value in self.cleaned_data.items() if key != "attachment"}
        return WrittenPetitionData(**data)


class AcceptForm(forms.Form):
    accepted_on = forms.DateField(
        validators=[validate_sensible_date], label=_("Ngày thụ lý"), widget=DateInput()
    )
    complexity = forms.ChoiceField(
        label=_("Tính chất vụ việc"), choices=Petition.Complexity.choices, initial=Petition.Complexity.NORMAL
    )
    complaint_round = forms.TypedChoiceField(
        label=_("Khiếu nại"),
        coerce=int,
        choices=[(1, _("Lần đầu")), (2, _("Lần hai"))],
        initial=1,
        help_text=_("Chỉ dùng cho khiếu nại."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted_on"].initial = timezone.localdate()


class DeclineForm(forms.Form):
    reason = forms.CharField(
        max_length=REMARK_CHARS, label=_("Lý do không thụ lý"), widget=forms.Textarea(attrs={"rows": 2})
    )


class TransferForm(forms.Form):
    to = forms.CharField(label=_("Chuyển đến cơ quan có thẩm quyền"), max_length=255)
    on = forms.DateField(
        validators=[validate_sensible_date], label=_("Ngày chuyển"), widget=DateInput(), required=False
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        max_length=MINUTES_CHARS,
        label=_("Kết quả giải quyết, nội dung trả lời"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    answered_on = forms.DateField(
        validators=[validate_sensible_date], label=_("Ngày trả lời, quyết định"), widget=DateInput()
    )
    decision_ref = forms.CharField(label=_("Số văn bản, quyết định"), max_length=64, required=False)
    is_public = forms.BooleanField(label=_("Công khai kết quả trên trang tra cứu"), required=False)

    def __init__(self, *args, petition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_on"].initial = timezone.localdate()
        # A complaint's or a denunciation's answer is never published (only its outcome is,
        # docs/PETITIONS.md): offering the box would promise what the tracking page won't do.
        if petition is not None and not petition.answer_text_is_public:
            del self.fields["is_public"]


class ReceptionForm(forms.Form):
    held_on = forms.DateField(validators=[validate_sensible_date], label=_("Ngày tiếp"), widget=DateInput())
    receiving_leader = forms.ModelChoiceField(label=_("Lãnh đạo tiếp công dân"), queryset=User.objects.none())
    place = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    people_count = forms.IntegerField(label=_("Số lượt công dân được tiếp"), min_value=0, initial=0)
    notes = forms.CharField(
        max_length=REMARK_CHARS,
        label=_("Ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Không ghi họ tên người tố cáo: họ tên ghi trên từng đơn."),
    )

    def __init__(self, *args, area: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["receiving_leader"].queryset = User.objects.filter(
            User.role_filter(Role.LEADER), agency__area=area, is_active=True
        )


class PetitionAssignmentForm(DeadlineWarningMixin, forms.Form):
    """Give an accepted written petition to an agency of its area (conclusions' view)."""

    task = forms.CharField(
        max_length=DOCUMENT_CHARS, label=_("Nội dung công việc"), widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_agency = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=OrgUnit.objects.none())
    coordinating_agencies = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"), queryset=OrgUnit.objects.none(), required=False
    )
    responsible_person = forms.ModelChoiceField(
        label=_("Người chịu trách nhiệm"), queryset=User.objects.none(), required=False
    )
    deadline = forms.DateField(
        validators=[validate_sensible_date],
        label=_("Hạn xử lý"),
        widget=DateInput(),
        required=False,
        help_text=_("Khiếu nại, tố cáo: hạn theo luật đã tính khi thụ lý, không cần ghi."),
    )

    def __init__(self, *args, petition: Petition, **kwargs):
        super().__init__(*args, **kwargs)
        area = petition.area
        bodies = OrgUnit.objects.subtree(area).bodies().order_by("name")
        self.fields["lead_agency"].queryset = bodies
        self.fields["coordinating_agencies"].queryset = bodies
        self.fields["responsible_person"].queryset = User.objects.filter(
            agency__path__startswith=area.path, is_active=True
        )
        self.fields["responsible_person"].label_from_instance = lambda user: (
            f"{user.full_name} – {user.agency}"
        )
        if petition.resolution_deadline:
            del self.fields["deadline"]


DECISION_REF_OR_ISSUE = _("Hãy ghi số quyết định đã ban hành, hoặc chọn ban hành quyết định trên phần mềm.")


class ExtensionDecisionForm(forms.Form):
    decided_on = forms.DateField(
        validators=[validate_sensible_date], label=_("Ngày quyết định"), widget=DateInput()
    )
    issue_decision = forms.BooleanField(
        label=_("Ban hành Quyết định gia hạn trên phần mềm"),
        help_text=_("Lấy số QĐ từ sổ văn bản đi, tạo tệp PDF có ký số và mã QR để kiểm tra."),
        required=False,
    )
    decision_ref = forms.CharField(
        label=_("Số quyết định gia hạn"),
        max_length=64,
        required=False,
        help_text=_("Số, ký hiệu của quyết định đã ban hành ngoài phần mềm."),
    )
    reason = forms.CharField(
        max_length=REMARK_CHARS, label=_("Lý do gia hạn"), widget=forms.Textarea(attrs={"rows": 2})
    )
    complexity = forms.ChoiceField(label=_("Tính chất vụ việc"), choices=Petition.Complexity.choices)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("issue_decision") and not (data.get("decision_ref") or "").strip():
            self.add_error("decision_ref", DECISION_REF_OR_ISSUE)
        return data

    def __init__(self, *args, petition: Petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
        self.fields["complexity"].initial = petition.complexity


def normalise_code(raw: str) -> str:
    """ "abcde 23456", "ABCDE23456", " abcde-23456 " → "ABCDE-23456"."""
    letters = "".join(char for char in raw.upper() if char.isalnum())
    return f"{letters[:5]}-{letters[5:]}" if len(letters) == TRACKING_LENGTH else ""


class TrackingForm(forms.Form):
    ma = forms.CharField(label=_("Mã tra cứu"), max_length=20)

    def clean_ma(self) -> str:
        code = normalise_code(self.cleaned_data["ma"])
        if not code or any(char not in TRACKING_ALPHABET for char in code.replace("-", "")):
            raise forms.ValidationError(BAD_CODE)
        return code


class DeadlineApiForm(forms.Form):
    """The deadline calculator's question, as the API takes it (`?rule=…&start=YYYY-MM-DD…`).
    The page's form (`DeadlineForm`) is the same with a list, a dd/mm/yyyy date and boxes."""

    rule = forms.CharField(label=_("Thủ tục"), max_length=64)
    start = forms.DateField(
        validators=[validate_sensible_date],
        label=_("Ngày bắt đầu tính"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Ngày không có thật hoặc sai dạng (YYYY-MM-DD).")},
    )
    # A text widget: the field then reads 1/0/true/false as the API's query string gives them.
    complex = forms.NullBooleanField(label=_("Vụ việc phức tạp"), required=False, widget=forms.TextInput)
    remote = forms.NullBooleanField(label=_("Vùng sâu, vùng xa"), required=False, widget=forms.TextInput)
    multi_place = forms.NullBooleanField(
        label=_("Xác minh tại nhiều địa điểm"), required=False, widget=forms.TextInput
    )
    extensions = forms.IntegerField(label=_("Số lần gia hạn"), required=False, min_value=0)
    n = forms.IntegerField(label=_("Số ngày"), required=False)

    def clean(self):
        from petitions.deadlines import DeadlineQuestion, deadline_check

        cleaned = super().clean()
        if "rule" not in cleaned:
            return cleaned
        # Checked even when the date is wrong, so every mistake shows at once.
        self.question = DeadlineQuestion(
            procedure=cleaned["rule"],
            start=cleaned.get("start"),
            complex=bool(cleaned.get("complex")),
            remote=bool(cleaned.get("remote")),
            several_places=bool(cleaned.get("multi_place")),
            extensions=cleaned.get("extensions") or 0,
            days=cleaned.get("n"),
        )
        try:
            deadline_check(self.question)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return cleaned


class DeadlineForm(DeadlineApiForm):
    """The page "Tính thời hạn": the clerk picks the procedure and the start date."""

    rule = forms.ChoiceField(label=_("Thủ tục"), choices=())
    start = forms.DateField(
        validators=[validate_sensible_date],
        label=_("Ngày bắt đầu tính (ngày nhận đơn, ngày thụ lý…)"),
        widget=DateInput(),
        error_messages={"invalid": _("Ngày không có thật hoặc sai dạng (dd/mm/yyyy).")},
    )
    complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    remote = forms.BooleanField(label=_("Vùng sâu, vùng xa đi lại khó khăn"), required=False)
    multi_place = forms.BooleanField(
        label=_("Tố cáo phải kiểm tra, xác minh tại nhiều địa điểm"), required=False
    )
    extensions = forms.TypedChoiceField(
        label=_("Số lần gia hạn giải quyết tố cáo"),
        coerce=int,
        choices=[(0, "0"), (1, "1"), (2, "2")],
        required=False,
        empty_value=0,
    )
    n = forms.IntegerField(
        label=_("Số ngày (N)"),
        required=False,
        help_text=_("Chỉ dùng cho “N ngày làm việc” và “N ngày theo lịch”."),
    )

    def __init__(self, *args, **kwargs):
        from petitions.deadlines import PROCEDURES

        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = list(PROCEDURES.items())
