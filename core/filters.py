import django_filters


class SearchFilter(django_filters.CharFilter):
    """Accent-free search through the model's `search_text` (core.models.SearchQuerySet)."""

    def filter(self, queryset, value):
        return queryset.search(value) if value else queryset
