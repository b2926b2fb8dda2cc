"""Form plumbing shared by every app's views."""

import functools
from pathlib import Path

import django.forms as django_forms
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.template.defaultfilters import stringformat
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime


def show_service_error(form, error: ValidationError, field_of: dict[str, str] | None = None) -> None:
    """A service's refusal beside the field it is about, else on top of the form. Services name
    their own arguments; `field_of` maps those to the form's field where the names differ
    (a conference's `starts_at` is entered as `starts_on`). Never lost: a name the form does
    not have goes on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = (field_of or {}).get(name, name)
        form.add_error(field if field in form.fields else None, errors)


def flash_error(request: HttpRequest, error: ValidationError, level: int = messages.ERROR) -> None:
    """A service's refusal as messages, for the POST-and-redirect actions that have no form
    page to show it on."""
    for message in error.messages:
        messages.add_message(request, level, message)


def flash_form_errors(request: HttpRequest, form: forms.Form) -> None:
    """A posted form's errors as messages, for the same actions."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- the form renderer -----------------------------------------------------------------------
# Django renders every widget through templates: an <input> is three of them (text.html
# includes input.html, which includes attrs.html), ~0.3 ms a field, and a list's filter form
# or an admin page has tens. The input family is written here in Python, byte for byte what
# those templates write (tests/core/test_form_renderer.py renders both ways), and so is the
# select (two more templates for each of its options: a category or area select has tens);
# every other widget (textarea, checkbox, radio…) keeps its template.
_INPUT_FAMILY = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
        "search", "tel", "color",
    )
)  # fmt: skip


def _text(value) -> str:
    """`value|stringformat:'s'` as a template writes it: escaped unless it was safe already."""
    text = stringformat(value, "s")
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def _input_html(widget: dict) -> str:
    """django/forms/widgets/input.html and attrs.html, with the same escaping."""
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs_html(widget['attrs'])}>"
    )


def _attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{_text(value)}"')
    return "".join(parts)


def _shown(value) -> str:
    """`{{ value }}` in an autoescaped template (render_value_in_context): localized, escaped."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


_SELECT = "django/forms/widgets/select.html"
_SELECT_OPTION = "django/forms/widgets/select_option.html"


def _select_html(widget: dict) -> str:
    """django/forms/widgets/select.html with select_option.html for each option, whitespace
    included."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs_html(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"  # the option template's last line ends
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: Django's renderer, with the input family and the select
    written directly."""

    def render(self, template_name, context, request=None):
        if template_name in _INPUT_FAMILY and not _overridden(template_name):
            return _input_html(context["widget"])  # Django strips what its templates write too
        if template_name == _SELECT and not _overridden(template_name) and _plain_options(context["widget"]):
            return _select_html(context["widget"])
        return super().render(template_name, context, request=request)


@functools.cache
def _overridden(template_name: str) -> bool:
    """Whether an app's templates replace Django's own, this one or those it includes (then
    they are rendered as written)."""
    from django.forms.renderers import get_default_renderer

    django_templates = str(Path(django_forms.__file__).parent)
    # The templates each one includes: an input includes input.html, a select its options.
    included = _SELECT_OPTION if template_name == _SELECT else "django/forms/widgets/input.html"
    names = {template_name, included, "django/forms/widgets/attrs.html"}
    renderer = get_default_renderer()
    return any(not renderer.get_template(name).origin.name.startswith(django_templates) for name in names)


def _plain_options(widget: dict) -> bool:
    """Whether every option is written by Django's own option template (a widget may name
    another for its options)."""
    return all(
        option["template_name"] == _SELECT_OPTION
        for _name, options, _index in widget["optgroups"]
        for option in options
    )
