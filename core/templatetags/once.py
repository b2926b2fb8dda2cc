"""{% once_token %}: the hidden one-time token of a create form (core.once)."""

from django import template
from django.utils.html import format_html

from core.once import TOKEN_FIELD, new_token

register = template.Library()


@register.simple_tag
def once_token():
    """A new token for every rendering: the form on the screen is one submission.

    A hidden text field, filled by static/js/once.js rather than by its value attribute:
    browsers put back on Back only what differs from the value the page was sent with, and
    the token must come back with the rest of what the clerk typed."""
    return format_html(
        '<input type="text" name="{}" value="" data-once-token="{}" hidden>', TOKEN_FIELD, new_token()
    )
