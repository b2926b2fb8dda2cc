from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from core.bounds import validate_sensible_date
from core.filters import FIRST_YEAR, LAST_YEAR
from registers.models import DocumentType, RegisterEntry


def _body_choices(bodies) -> list[tuple[str, str]]:
    return [(str(body.pk), body.name) for body in bodies]


class RegisterFilterForm(forms.Form):
    """The register page's filters; a value out of range is refused beside its field."""

    body = forms.TypedChoiceField(label=_("Cơ quan"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    doc_type = forms.ChoiceField(
        label=_("Loại văn bản"),
        required=False,
        choices=[("", _("Mọi loại")), *DocumentType.choices],
    )
    origin = forms.ChoiceField(
        label=_("Nguồn"),
        required=False,
        choices=[("", _("Mọi nguồn")), *RegisterEntry.Origin.choices],
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", _("Mọi cơ quan")), *_body_choices(bodies)]
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def filter(self, entries):
        data = self.cleaned_data
        if data.get("body"):
            entries = entries.filter(body_id=data["body"])
        if data.get("year"):
            entries = entries.filter(issued_on__year=data["year"])
        if data.get("doc_type"):
            entries = entries.filter(doc_type=data["doc_type"])
        if data.get("origin"):
            entries = entries.filter(origin=data["origin"])
        return entries


class OutsideNumberForm(forms.Form):
    """A number the office gave outside the app: left empty, the register's next number."""

    body = forms.TypedChoiceField(label=_("Cơ quan ban hành"), coerce=int)
    doc_type = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentType.choices)
    number = forms.IntegerField(
        label=_("Số đã dùng"),
        required=False,
        min_value=1,
        max_value=99999,
        help_text=_("Để trống để lấy số tiếp theo của sổ."),
    )
    issued_on = forms.DateField(label=_("Ngày văn bản"), validators=[validate_sensible_date])
    summary = forms.CharField(label=_("Trích yếu"), max_length=500)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = {body.pk: body for body in bodies}
        self.fields["body"].choices = _body_choices(bodies)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "body": self.bodies[data["body"]],
            "doc_type": data["doc_type"],
            "number": data["number"],
            "on": data["issued_on"],
            "summary": data["summary"],
        }


def register_bodies(user) -> list[OrgUnit]:
    """The issuing bodies a user keeps registers for: the bodies within their scope."""
    return list(OrgUnit.objects.visible_to(user).bodies().only("pk", "name").order_by("path")[:500])
