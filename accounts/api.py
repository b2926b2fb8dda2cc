"""What every app's part of the JSON API shares: who may call it (`RolePermission`), how a
service's ValidationError becomes a 400, named choice fields for the schema, and related ids
limited to what the caller may edit. Authentication, pagination and filter backends come from
REST_FRAMEWORK in the settings."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.fields import get_error_detail
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.settings import api_settings

from accounts.models import OrgUnit, Role

EDITORS = (Role.CLERK, Role.LEADER)
NO_ROLE = _("Tài khoản chưa được giao vai trò nào nên chưa dùng được API.")
WRITE_NEEDS_EDITOR = _("Chỉ cán bộ văn phòng hoặc lãnh đạo mới được ghi dữ liệu qua API.")


class RolePermission(permissions.BasePermission):
    """Reading needs any role; writing needs the clerk or leader role (superusers pass).
    Which rows a caller sees is decided by the querysets (`visible_to`), not here."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            self.message = NO_ROLE
            return user.has_role(*Role)
        self.message = WRITE_NEEDS_EDITOR
        return user.has_role(*EDITORS)


def api_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as DRF's 400: field errors stay under their field, the
    rest go under `non_field_errors`, as a serializer's own errors do."""
    detail = get_error_detail(error)
    if isinstance(detail, dict):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): value
            for key, value in detail.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: detail}
    return serializers.ValidationError(detail)


def choice_field(
    choices: type[models.TextChoices], component_name: str, *, blank: bool = False
) -> type[serializers.ChoiceField]:
    """A choice field class documented as its own named enum. Conferences and petitions both
    have a `kind`, with different choices; without a name each, drf-spectacular warns about the
    collision and makes up a name like "Kind07aEnum". `blank`: the model field may be "" (a
    voter meeting's deputy level on a dialogue), so "" is a value of the enum too."""
    values = ["", *choices.values] if blank else list(choices.values)

    @extend_schema_field({"type": "string", "enum": values}, component_name=component_name)
    class NamedChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            if blank:
                kwargs.setdefault("allow_blank", True)
            super().__init__(choices=choices.choices, **kwargs)

    NamedChoiceField.__name__ = NamedChoiceField.__qualname__ = f"{component_name.removesuffix('Enum')}Field"
    return NamedChoiceField


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name"]


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id that must lie in what the caller may edit: anything else is reported
    on the field, in `does_not_exist`, without saying whether the row exists elsewhere."""

    def scoped(self, queryset, user):
        return queryset.editable_by(user)

    def get_queryset(self):
        return self.scoped(super().get_queryset(), self.context["request"].user)


class ErrorsAsJson(BaseContentNegotiation):
    """For the actions that answer a file (a notice's or a transfer slip's PDF): the file is
    returned as is (DRF does not render it), and an error is rendered as JSON even for a
    client that accepts only application/pdf, instead of a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
