"""No serializer field of the API reads a model method per row through `source`: DRF asks
`inspect.signature()` of every callable it meets on every row (is_simple_callable), ~40 µs
each — three `source="get_kind_display"` fields cost ~6 ms of a page of 50 opinions. A label
is core.api_fields.ChoiceLabelField; other computed values are properties."""

import functools
import inspect

from django.apps import apps
from rest_framework import serializers

PROJECT_APPS = {config.name for config in apps.get_app_configs() if not config.path.count("site-packages")}


def project_serializers() -> list[type[serializers.ModelSerializer]]:
    import config.api_urls  # noqa: F401 (imports every app's API module)

    found, stack = [], [serializers.ModelSerializer]
    while stack:
        for subclass in stack.pop().__subclasses__():
            stack.append(subclass)
            if subclass.__module__.split(".")[0] in PROJECT_APPS:
                found.append(subclass)
    return found


def test_no_field_reads_a_model_method_per_row():
    serializer_classes = project_serializers()
    assert len(serializer_classes) > 10  # the walk found the API's serializers
    offenders = []
    for serializer_class in serializer_classes:
        model = serializer_class.Meta.model
        for name, field in serializer_class().fields.items():
            source = field.source or name
            if source == "*":
                continue
            attribute = inspect.getattr_static(model, source.split(".")[0], None)
            # A method, or Django's get_<field>_display (a partialmethod on the model).
            if inspect.isfunction(attribute) or isinstance(attribute, functools.partialmethod):
                offenders.append(f"{serializer_class.__name__}.{name} (source={source!r})")
    assert offenders == []
