import django_filters


class AreaSubtreeFilter(django_filters.ModelChoiceFilter):
    """An area chosen in a list filter means that area and everything below it: a city
    filter shows its wards' rows. `field_name` is the relation to the OrgUnit."""

    def filter(self, queryset, area):
        if not area:
            return queryset
        return queryset.filter(**{f"{self.field_name}__path__startswith": area.path})
