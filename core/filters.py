"""Filters and widgets shared by the list pages' filter forms."""

import django_filters
from django import forms

from core.bounds import SEARCH_CHARS


class SearchFilter(django_filters.CharFilter):
    """Accent-free search through the model's `search_text` (core.models.SearchQuerySet).
    At most SEARCH_CHARS characters: a longer query is refused beside the box."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", SEARCH_CHARS)
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        return queryset.search(value) if value else queryset


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
    """A list filter choosing among a short list kept as data."""

    field_class = ShortListChoiceField


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
