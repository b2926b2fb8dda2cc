"""Form plumbing shared by every app's views."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


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
