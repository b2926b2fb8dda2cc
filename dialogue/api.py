"""The conferences' part of the JSON API (/api/v1/conferences/); what every app's API shares
is in accounts/api.py.

Views are thin, as in views.py: rows come through `visible_to` (out of scope → 404), input is
validated by a serializer, and the change is made by one service.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import AreaSerializer, RolePermission, ScopedRelatedField, api_error, choice_field
from accounts.filters import AreaSubtreeFilter
from accounts.models import OrgUnit
from core.api_fields import ChoiceLabelField
from core.bounds import DOCUMENT_CHARS, MINUTES_CHARS
from core.filters import SearchFilter, YearFilter
from dialogue import services
from dialogue.forms import CHAIRS_REQUIRED
from dialogue.models import Conference, ConferenceBasis, ConferenceChair

AREA_NOT_EDITABLE = _("Bạn không được tổ chức hội nghị tại địa bàn này (mã {pk_value}).")


# --- conferences --------------------------------------------------------------------------

ConferenceKindField = choice_field(Conference.Kind, "ConferenceKindEnum")
MeetingTypeField = choice_field(Conference.MeetingType, "MeetingTypeEnum")
DeputyLevelField = choice_field(Conference.DeputyLevel, "DeputyLevelEnum", blank=True)
SessionTimingField = choice_field(Conference.SessionTiming, "SessionTimingEnum", blank=True)


class ConferenceChairSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConferenceChair
        fields = ["full_name", "title"]


class BasisSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConferenceBasis
        fields = ["id", "short_name", "name"]


class ConferenceSerializer(serializers.ModelSerializer):
    host_area = AreaSerializer(read_only=True)
    basis = BasisSerializer(read_only=True)
    kind = ConferenceKindField(read_only=True)
    kind_display = ChoiceLabelField("kind")
    meeting_type = MeetingTypeField(read_only=True)
    status_display = ChoiceLabelField("status")

    class Meta:
        model = Conference
        fields = [
            "id",
            "title",
            "host_area",
            "basis",
            "kind",
            "kind_display",
            "meeting_type",
            "starts_at",
            "place",
            "status",
            "status_display",
            "participant_count",
            "held_on",
        ]
        read_only_fields = fields


class ConferenceDetailSerializer(ConferenceSerializer):
    chairs = ConferenceChairSerializer(many=True, read_only=True)
    deputy_level = DeputyLevelField(read_only=True)
    session_timing = SessionTimingField(read_only=True)

    class Meta(ConferenceSerializer.Meta):
        fields = [
            *ConferenceSerializer.Meta.fields,
            "chairs",
            "agenda",
            "invited_guests",
            "minutes",
            "report_summary",
            "cancel_reason",
            "deputy_level",
            "deputies",
            "session",
            "session_timing",
            "forwarded_to",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EditableAreaField(ScopedRelatedField):
    default_error_messages = {"does_not_exist": AREA_NOT_EDITABLE}

    def scoped(self, queryset, user):
        return super().scoped(queryset, user).areas()


class ConferencePlanSerializer(serializers.ModelSerializer):
    """Input of POST /conferences/: the arguments of `services.conference_plan`."""

    host_area = EditableAreaField(queryset=OrgUnit.objects.all())
    basis = serializers.PrimaryKeyRelatedField(queryset=ConferenceBasis.objects.filter(is_active=True))
    kind = ConferenceKindField(default=Conference.Kind.SCHEDULED)
    meeting_type = MeetingTypeField(default=Conference.MeetingType.DIALOGUE)
    deputy_level = DeputyLevelField(required=False)
    session_timing = SessionTimingField(required=False)
    chairs = ConferenceChairSerializer(many=True, max_length=services.MAX_CHAIRS)

    class Meta:
        model = Conference
        # What the planning service takes (one list: dialogue.services.EDITABLE_FIELDS), and the chairs.
        fields = [*services.EDITABLE_FIELDS, "chairs"]

    def validate_chairs(self, chairs: list[dict]) -> list[services.Chair]:
        if not chairs:
            raise serializers.ValidationError(CHAIRS_REQUIRED)
        return [services.Chair(**chair) for chair in chairs]


class HoldSerializer(serializers.Serializer):
    """Input of POST /conferences/{id}/hold/, as the web's HoldForm."""

    participant_count = serializers.IntegerField(label=_("Số người dự"), min_value=1, max_value=100_000)
    minutes = serializers.CharField(max_length=MINUTES_CHARS, label=_("Biên bản hội nghị"))
    report_summary = serializers.CharField(
        max_length=DOCUMENT_CHARS, label=_("Tóm tắt báo cáo"), required=False, allow_blank=True, default=""
    )


def visible_areas(request):
    return OrgUnit.objects.visible_to(request.user).areas() if request else OrgUnit.objects.none()


class ConferenceApiFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm (không cần dấu)"))
    host_area = AreaSubtreeFilter(
        label=_("Địa bàn, gồm cả các địa bàn trực thuộc"), queryset=visible_areas, field_name="host_area"
    )
    status = django_filters.ChoiceFilter(choices=Conference.Status.choices)
    basis = django_filters.NumberFilter(label=_("Căn cứ"), field_name="basis")
    kind = django_filters.ChoiceFilter(choices=Conference.Kind.choices)
    year = YearFilter(label=_("Năm"), field_name="starts_at", lookup_expr="year")
    date_from = django_filters.DateFilter(label=_("Từ ngày"), field_name="starts_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label=_("Đến ngày"), field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = Conference
        fields = ["q", "host_area", "status", "basis", "kind", "year", "date_from", "date_to"]


class ConferenceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Dialogue conferences in the caller's area and below."""

    permission_classes = [RolePermission]
    filterset_class = ConferenceApiFilter
    serializer_classes = {
        "list": ConferenceSerializer,
        "retrieve": ConferenceDetailSerializer,
        "create": ConferencePlanSerializer,
        "hold": HoldSerializer,
    }

    def get_queryset(self):
        user = self.request.user
        if self.action in ("create", "hold"):
            return Conference.objects.editable_by(user).select_related("host_area", "basis")
        conferences = Conference.objects.visible_to(user).select_related("host_area", "basis")
        if self.action == "list":
            # No petition count here: with millions of petitions, joining them into the page's
            # COUNT(*) would cost more than the list itself. /conferences/{id}/petitions/ counts.
            return conferences.order_by("-starts_at", "-pk")
        return conferences.prefetch_related("chairs")

    def get_serializer_class(self):
        return self.serializer_classes.get(self.action, ConferenceDetailSerializer)

    def _detail(self, conference: Conference) -> dict:
        """The conference as GET /conferences/{id}/ shows it, read again after the change."""
        conference = (
            Conference.objects.select_related("host_area", "basis")
            .prefetch_related("chairs")
            .get(pk=conference.pk)
        )
        return ConferenceDetailSerializer(conference, context=self.get_serializer_context()).data

    @extend_schema(request=ConferencePlanSerializer, responses={201: ConferenceDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            conference = services.conference_plan(by=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise api_error(error) from error
        return Response(self._detail(conference), status=status.HTTP_201_CREATED)

    @extend_schema(request=HoldSerializer, responses={200: ConferenceDetailSerializer})
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """Record that a planned conference took place: participants, minutes, report."""
        conference = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            conference = services.conference_hold(
                conference=conference, by=request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise api_error(error) from error
        return Response(self._detail(conference))
