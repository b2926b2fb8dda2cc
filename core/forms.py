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
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe


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
# those templates write (tests/core/test_form_renderer.py renders both ways); every other
# widget (textarea, select, checkbox…) keeps its template.
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
    parts = [
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
    ]
    if widget["value"] is not None:
        parts.append(f' value="{_text(widget["value"])}"')
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{_text(value)}"')
    parts.append(">")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: Django's renderer, with the input family written directly."""

    def render(self, template_name, context, request=None):
        if template_name not in _INPUT_FAMILY or _overridden(template_name):
            return super().render(template_name, context, request=request)
        return _input_html(context["widget"])  # Django strips what its templates write too


@functools.cache
def _overridden(template_name: str) -> bool:
    """Whether an app's templates replace Django's own, this one or those it includes (then
    they are rendered as written)."""
    from django.forms.renderers import get_default_renderer

    django_templates = str(Path(django_forms.__file__).parent)
    names = {template_name, "django/forms/widgets/input.html", "django/forms/widgets/attrs.html"}
    renderer = get_default_renderer()
    return any(not renderer.get_template(name).origin.name.startswith(django_templates) for name in names)
