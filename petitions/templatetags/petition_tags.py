"""Template helpers of the opinions' pages."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def outcome_badge(petition) -> str:
    """An opinion's handling outcome as a coloured badge (static/css: `.outcome-<value>`).
    A tag rather than an included template: lists show it on every row, and an include per
    row costs ~30 µs (1.5 ms for the 51 rows of the opinion list)."""
    return format_html(
        '<span class="badge outcome-{}">{}</span>', petition.outcome, petition.get_outcome_display()
    )
