"""Serializer fields shared by the apps' JSON APIs."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The label of a model's choice field in the reader's language, as Django's
    `get_<field>_display()` gives it; read-only.

    Written `CharField(source="get_kind_display")`, DRF asks `inspect.signature()` on every
    row whether the bound method takes arguments (rest_framework.fields.is_simple_callable):
    the three labels of an opinion took ~6 ms of each page of 50 in the API list."""

    def __init__(self, choice_field: str, **kwargs):
        self.choice_field = choice_field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance) -> str:
        return str(getattr(instance, f"get_{self.choice_field}_display")())
