"""core.forms.FormRenderer writes the input family and the select in Python: byte for byte
what Django's templates write, for every input widget, value and attribute shape, for selects
with groups, lazy, numeric and unsafe labels, and for whole forms."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

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


SELECT_CHOICES = [
    ("", "Mọi <loại>"), ("a", "A & b"), ("Nhóm <1>", [("x", "X"), ("y", mark_safe("<i>Y</i>"))]),
    (3, "Ba"), (4, 1234567), (Decimal("2.5"), date(2026, 2, 6)), ("lazy", gettext_lazy("Mọi nguồn")),
]  # fmt: skip


@pytest.mark.parametrize("widget_class", [forms.Select, forms.SelectMultiple, forms.NullBooleanSelect])
def test_selects_are_written_as_their_templates_write_them(widget_class):
    choices = {} if widget_class is forms.NullBooleanSelect else {"choices": SELECT_CHOICES}
    values = ["a", "y", 3, None, "", ["a", "x"], "2.5", True, False]
    if widget_class is forms.NullBooleanSelect:
        values = [None, True, False, "true", "false", "unknown", "2"]
    for value in values:
        for attrs in ATTRS:
            widget = widget_class(**choices)
            expected = widget.render("kind", value, attrs=attrs, renderer=TEMPLATES)
            assert widget.render("kind", value, attrs=attrs, renderer=FAST) == expected, (value, attrs)


def test_a_select_with_options_of_its_own_keeps_its_templates():
    class Radioish(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Radioish(choices=[("a", "A")])
    assert widget.render("k", "a", renderer=FAST) == widget.render("k", "a", renderer=TEMPLATES)
    assert "<input" in widget.render("k", "a", renderer=FAST)


class Everything(forms.Form):
    name = forms.CharField(max_length=20, help_text="Họ và tên")
    count = forms.IntegerField(min_value=0)
    day = forms.DateField(widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    secret = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "<B>")])
    several = forms.MultipleChoiceField(choices=SELECT_CHOICES[1:3], required=False)
    flag = forms.BooleanField(required=False)


def test_whole_forms_render_the_same_bound_or_not():
    data = {
        "name": 'Lê "Văn" <A>',
        "count": "-1",
        "day": "32/13/2026",
        "secret": "x&y",
        "choice": "b",
        "several": ["y"],
    }
    for form in (Everything(renderer=TEMPLATES), Everything(data, renderer=TEMPLATES)):
        fast = Everything(form.data or None, renderer=FAST)
        assert str(fast) == str(form)
        assert [str(field) for field in fast] == [str(field) for field in form]


def test_the_project_uses_it(settings):
    assert settings.FORM_RENDERER == "core.forms.FormRenderer"
