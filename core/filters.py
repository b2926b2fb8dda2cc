"""Filters and widgets shared by the list pages' filter forms."""

import django_filters
from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.bounds import SEARCH_CHARS


class SearchFilter(django_filters.CharFilter):
    """Accent-free search through the model's `search_text` (core.models.SearchQuerySet).
    At most SEARCH_CHARS characters: a longer query is refused beside the box."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", SEARCH_CHARS)
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        return queryset.search(value) if value else queryset


def _attributes(attrs: dict) -> str:
    """HTML attributes in their order, as Django's widgets/attrs.html writes them."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class PlainSelect(forms.Select):
    """A select written out in Python rather than through the form renderer, which renders two
    more templates for every option: the five selects of the opinion list's filter form took
    ~3 ms of each view of the list. The markup is the same as Django's."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html('<select name="{}"', widget["name"]), _attributes(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                html.append(format_html('<option value="{}"', option["value"]))
                html.append(_attributes(option["attrs"]))
                html.append(format_html(">{}</option>", option["label"]))
            if group_name:
                html.append("</optgroup>")
        html.append("</select>")
        return mark_safe("".join(html))  # every part above is escaped by format_html


class ShortListChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The options of a short list kept as data (categories, bases) read with one plain query:
    Django's iterator opens a server-side cursor on PostgreSQL (DECLARE, FETCH, CLOSE), which
    takes twice as long for a dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ShortListChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ShortListChoiceIterator


class ShortListFilter(django_filters.ModelChoiceFilter):
    """A list filter choosing among a short list kept as data, as a PlainSelect."""

    field_class = ShortListChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", PlainSelect)
        super().__init__(*args, **kwargs)


# A year the lists can be filtered by: a year outside Python's dates (0, -1, 10000) would
# reach the database as a date range it cannot build (a server error), and none of the
# records predates the Republic.
FIRST_YEAR, LAST_YEAR = 1945, 2100


class YearFilter(django_filters.NumberFilter):
    """A calendar year, FIRST_YEAR..LAST_YEAR; anything else is a 400 beside the filter."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)
