"""core.forms.FormRenderer writes the input family in Python: byte for byte what Django's
templates write, for every input widget, value and attribute shape, and for whole forms."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.forms import FormRenderer

TEMPLATES = DjangoTemplates()
FAST = FormRenderer()

INPUT_WIDGETS = [
    forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput, forms.PasswordInput,
    forms.HiddenInput, forms.DateInput, forms.DateTimeInput, forms.TimeInput, forms.SearchInput,
    forms.TelInput, forms.ColorInput,
]  # fmt: skip
VALUES = [None, "", "plain", 'quo"te <b>&amp;', mark_safe("<safe>&"), 0, 12, Decimal("1.50"), date(2026, 2, 6),
          "Đất đai – ngõ 192"]  # fmt: skip
ATTRS = [
    {},
    {"class": "form-control is-invalid", "aria-invalid": "true", "required": True, "disabled": False},
    {"maxlength": 200, "placeholder": '"dat dai" <không dấu>', "data-x": None, "autofocus": True},
    {"id": "id_q", "aria-describedby": "id_q_errors", "step": Decimal("0.5")},
]


@pytest.mark.parametrize("widget_class", INPUT_WIDGETS, ids=lambda widget: widget.__name__)
def test_every_input_widget_is_written_as_its_template_writes_it(widget_class):
    for value in VALUES:
        for attrs in ATTRS:
            widget = widget_class(attrs={"title": "Tiêu đề"})
            expected = widget.render("q", value, attrs=attrs, renderer=TEMPLATES)
            assert widget.render("q", value, attrs=attrs, renderer=FAST) == expected, (value, attrs)


def test_the_plain_input_template_too():
    widget = forms.widgets.Input(attrs={"class": "x"})
    widget.input_type = "range"
    assert widget.render("n", 3, renderer=FAST) == widget.render("n", 3, renderer=TEMPLATES)


class Everything(forms.Form):
    name = forms.CharField(max_length=20, help_text="Họ và tên")
    count = forms.IntegerField(min_value=0)
    day = forms.DateField(widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    secret = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "<B>")])
    flag = forms.BooleanField(required=False)


def test_whole_forms_render_the_same_bound_or_not():
    data = {"name": 'Lê "Văn" <A>', "count": "-1", "day": "32/13/2026", "secret": "x&y", "choice": "b"}
    for form in (Everything(renderer=TEMPLATES), Everything(data, renderer=TEMPLATES)):
        fast = Everything(form.data or None, renderer=FAST)
        assert str(fast) == str(form)
        assert [str(field) for field in fast] == [str(field) for field in form]


def test_the_project_uses_it(settings):
    assert settings.FORM_RENDERER == "core.forms.FormRenderer"
