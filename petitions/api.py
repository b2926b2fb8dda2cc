"""The petitions' part of the JSON API: /api/v1/petitions/, /api/v1/conferences/{id}/petitions/
and /api/v1/categories/.

A denouncer's identity never leaves through the API, whoever asks (see DESIGN.md,
"Confidentiality"): every answer shows `public_petitioner`, and the raw name, address and phone
of a denunciation are left out of every serializer's output.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.api import (
    AreaSerializer,
    ErrorsAsJson,
    RolePermission,
    ScopedRelatedField,
    api_error,
    choice_field,
)
from accounts.filters import AreaSubtreeFilter
from core.api_fields import ChoiceLabelField
from core.bounds import DOCUMENT_CHARS, validate_sensible_date
from core.files import open_stored
from core.filters import SearchFilter
from dialogue.api import visible_areas
from dialogue.models import Conference
from petitions import ports, services
from petitions.deadlines import PROCEDURES, deadline_compute
from petitions.intake_forms import DeadlineApiForm
from petitions.models import Category, Petition
from petitions.slip import FILE_PREFIX, stored_slip
from registers.api import IssuedDocumentSerializer
from registers.documents import file_name_of

CONFERENCE_NOT_EDITABLE = _("Không tìm thấy hội nghị (mã {pk_value}) trong phạm vi bạn được nhập ý kiến.")
SLIP_NOT_STORED = _(
    "Phiếu chuyển đơn chưa có tệp đã ban hành (đang được tạo, hoặc chuyển trước khi phiếu được lưu)."
)
MAX_BATCH = 500  # as the web's fast-entry grid


PetitionKindField = choice_field(Petition.Kind, "PetitionKindEnum")


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name"]


class ConferenceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Conference
        fields = ["id", "title", "starts_at"]


class PetitionSerializer(serializers.ModelSerializer):
    """A row of a list: never any raw identity, only the display the public may see too."""

    area = AreaSerializer(read_only=True)
    conference = ConferenceRefSerializer(read_only=True, allow_null=True)  # a letter has none
    category = CategorySerializer(read_only=True)
    kind = PetitionKindField(read_only=True)
    petitioner = serializers.CharField(source="public_petitioner", read_only=True)
    kind_display = ChoiceLabelField("kind")
    channel_display = ChoiceLabelField("channel")
    outcome_display = ChoiceLabelField("outcome")

    class Meta:
        model = Petition
        fields = [
            "id",
            "tracking_code",
            "area",
            "conference",
            "position",
            "kind",
            "kind_display",
            "channel",
            "channel_display",
            "received_on",
            "category",
            "content",
            "petitioner_type",
            "petitioner",
            "answered_at_conference",
            "after_notice",
            "outcome",
            "outcome_display",
            "duplicate_of",
        ]
        read_only_fields = fields


class MessageEntrySerializer(serializers.Serializer):
    """One message to the citizen (docs/MESSAGES.md); `recipient` masked, empty for a
    denunciation unless the reader handles the case."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    channel = serializers.CharField()
    recipient = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    last_error = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)


class MessageLogSerializer(serializers.Serializer):
    consent = serializers.BooleanField()
    opted_out = serializers.BooleanField()
    messages = MessageEntrySerializer(many=True)


class PublicAnswerSerializer(serializers.Serializer):
    """An agency's official answer as the tracking page shows it: the text only for kiến nghị,
    phản ánh, đề xuất (null for a complaint or denunciation, whose outcome alone is public)."""

    agency = serializers.CharField()
    answered_on = serializers.DateField(allow_null=True)
    text = serializers.CharField(allow_null=True)
    public_files = serializers.ListField(child=serializers.CharField())


class CitizenVerdictSerializer(serializers.Serializer):
    verdict = serializers.CharField()
    verdict_display = serializers.CharField()
    answered_on = serializers.DateField()
    given_at = serializers.DateTimeField()
    comment = serializers.CharField(allow_blank=True)
    reopening = serializers.CharField(allow_null=True)


class PetitionDetailSerializer(PetitionSerializer):
    # Output only. `required=False` rather than `read_only=True` so that the schema says these
    # keys may be absent: they are, for a denunciation.
    petitioner_name = serializers.CharField(required=False)
    petitioner_address = serializers.CharField(required=False)
    petitioner_phone = serializers.CharField(required=False)
    petitioner_email = serializers.CharField(required=False)

    IDENTITY_FIELDS = ("petitioner_name", "petitioner_address", "petitioner_phone", "petitioner_email")
    message_log = serializers.SerializerMethodField()
    public_answer = serializers.SerializerMethodField()
    citizen_verdict = serializers.SerializerMethodField()
    transfer_slip = serializers.SerializerMethodField()

    class Meta(PetitionSerializer.Meta):
        fields = [
            *PetitionSerializer.Meta.fields,
            "petitioner_name",
            "petitioner_address",
            "petitioner_phone",
            "petitioner_email",
            "message_consent",
            "conference_answer",
            "answered_by",
            "outcome_decided_on",
            "transferred_to",
            "transferred_on",
            "transfer_slip",
            "rejection_reason",
            "resolved_on",
            "public_answer",
            "citizen_verdict",
            "created_at",
            "updated_at",
            "message_log",
        ]
        read_only_fields = fields

    @extend_schema_field(MessageLogSerializer)
    def get_message_log(self, petition: Petition) -> dict:
        """The messages to the citizen (filled by messaging, above this app: a port)."""
        log = ports.message_log()(petition, self.context["request"].user)
        return MessageLogSerializer(log).data

    @extend_schema_field(PublicAnswerSerializer(many=True))
    def get_public_answer(self, petition: Petition) -> list[dict]:
        """The official answers (issue 17), as the citizen sees them on the tracking page."""
        answers = ports.follow_up().official_answers([petition.pk]).get(petition.pk, [])
        public = petition.answer_text_is_public
        return [
            {
                "agency": answer.agency,
                "answered_on": answer.answered_on,
                "text": answer.text if public else None,
                "public_files": [name for _pk, name in answer.public_files] if public else [],
            }
            for answer in answers
        ]

    @extend_schema_field(CitizenVerdictSerializer(allow_null=True))
    def get_citizen_verdict(self, petition: Petition) -> dict | None:
        """What the citizen said of the latest answer, and the reopening it caused if any. A
        denunciation's comment is left out (it may name the denouncer)."""
        verdict = petition.verdicts.select_related("reopening").order_by("-created_at", "-pk").first()
        if verdict is None:
            return None
        reopening = getattr(verdict, "reopening", None)
        return {
            "verdict": verdict.verdict,
            "verdict_display": verdict.get_verdict_display(),
            "answered_on": verdict.answered_on,
            "given_at": verdict.created_at,
            "comment": "" if petition.is_confidential else verdict.comment,
            "reopening": reopening.status if reopening else None,
        }

    @extend_schema_field(IssuedDocumentSerializer(allow_null=True))
    def get_transfer_slip(self, petition: Petition) -> dict | None:
        """The transfer slip as issued: number, stored PDF, SHA-256, signatures, public check;
        null for a petition not transferred, or transferred before slips were stored."""
        issued = stored_slip(petition) if petition.outcome == Petition.Outcome.TRANSFERRED else None
        if issued is None:
            return None
        url = self.context["request"].build_absolute_uri(
            reverse("api:petition-transfer-slip", args=[petition.pk])
        )
        return IssuedDocumentSerializer(issued, context={"pdf_url": url}).data

    def to_representation(self, petition: Petition) -> dict:
        data = super().to_representation(petition)
        if petition.is_confidential:
            for name in self.IDENTITY_FIELDS:
                del data[name]
        return data


class ActiveCategoryField(serializers.PrimaryKeyRelatedField):
    """An active category, the list read once for a whole batch (as the web grid does) rather
    than once per row: it is kept in the root serializer's context, which every row shares."""

    _CACHE_KEY = "_active_categories"

    def __init__(self, **kwargs):
        super().__init__(queryset=Category.objects.filter(is_active=True), **kwargs)

    def to_internal_value(self, data) -> Category:
        try:
            pk = int(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        categories = self.context.get(self._CACHE_KEY)
        if categories is None:
            categories = self.context[self._CACHE_KEY] = {
                category.pk: category for category in self.get_queryset()
            }
        if pk not in categories:
            self.fail("does_not_exist", pk_value=data)
        return categories[pk]


class PetitionDraftSerializer(serializers.Serializer):
    """One opinion to save: the fields of `services.PetitionDraft`."""

    kind = PetitionKindField(default=Petition.Kind.RECOMMENDATION)
    channel = serializers.ChoiceField(
        choices=Petition.Channel.choices, default=Petition.Channel.AT_CONFERENCE
    )
    category = ActiveCategoryField()
    content = serializers.CharField(max_length=DOCUMENT_CHARS)
    petitioner_type = serializers.ChoiceField(
        choices=Petition.PetitionerType.choices, default=Petition.PetitionerType.PERSON
    )
    petitioner_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    petitioner_address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    petitioner_phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    petitioner_email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    message_consent = serializers.BooleanField(required=False, default=False)
    answered_at_conference = serializers.BooleanField(required=False, default=False)
    conference_answer = serializers.CharField(
        max_length=DOCUMENT_CHARS, required=False, allow_blank=True, default=""
    )
    answered_by = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    received_on = serializers.DateField(
        validators=[validate_sensible_date], required=False, allow_null=True, default=None
    )

    def validate(self, attrs: dict) -> dict:
        # The rules that span fields live on the draft, shared with the web grid and the import.
        problems = services.PetitionDraft(**attrs).errors()
        if problems:
            raise serializers.ValidationError(problems)
        return attrs


class PetitionRowsSerializer(serializers.Serializer):
    """Input of POST /conferences/{id}/petitions/: the opinions, saved all or none."""

    petitions = PetitionDraftSerializer(many=True, allow_empty=False, max_length=MAX_BATCH)

    def drafts(self) -> list[services.PetitionDraft]:
        return [services.PetitionDraft(**row) for row in self.validated_data["petitions"]]


class EditableConferenceField(ScopedRelatedField):
    default_error_messages = {"does_not_exist": CONFERENCE_NOT_EDITABLE}

    def scoped(self, queryset, user):
        return super().scoped(queryset, user).select_related("host_area")


class PetitionBatchSerializer(PetitionRowsSerializer):
    """Input of POST /petitions/: the conference, then its opinions, saved all or none."""

    conference = EditableConferenceField(queryset=Conference.objects.all())


class PetitionBatchResultSerializer(serializers.Serializer):
    """Answer to a batch: the opinions saved, numbered, each with its tracking code."""

    petitions = PetitionSerializer(many=True, read_only=True)
    # Not empty when the conference's notice was already issued: the opinions are outside it.
    warning = serializers.CharField(read_only=True)


class PetitionApiFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm (không cần dấu)"))
    area = AreaSubtreeFilter(
        label=_("Địa bàn, gồm cả các địa bàn trực thuộc"), queryset=visible_areas, field_name="area"
    )
    conference = django_filters.NumberFilter(label=_("Hội nghị"), field_name="conference")
    category = django_filters.NumberFilter(label=_("Lĩnh vực"), field_name="category")
    kind = django_filters.ChoiceFilter(choices=Petition.Kind.choices)
    channel = django_filters.ChoiceFilter(choices=Petition.Channel.choices)
    outcome = django_filters.ChoiceFilter(choices=Petition.Outcome.choices)
    received_from = django_filters.DateFilter(
        label=_("Tiếp nhận từ ngày"), field_name="received_on", lookup_expr="gte"
    )
    received_to = django_filters.DateFilter(
        label=_("Tiếp nhận đến ngày"), field_name="received_on", lookup_expr="lte"
    )

    class Meta:
        model = Petition
        fields = [
            "q",
            "area",
            "conference",
            "category",
            "kind",
            "channel",
            "outcome",
            "received_from",
            "received_to",
        ]


# The columns PetitionSerializer shows (a list's row; `petitioner` is `public_petitioner`, which
# reads the type, kind, name and address), of the opinion and of its three joined rows: both
# lists (all opinions, a conference's) read these only, not every column of each opinion (its
# search text, answers, phone, e-mail, identity number) and of its conference (agenda, minutes,
# its search text) (issue 21: API lists).
PETITION_LIST_FIELDS = (
    "tracking_code",
    "position",
    "kind",
    "channel",
    "received_on",
    "content",
    "petitioner_type",
    "petitioner_name",
    "petitioner_address",
    "answered_at_conference",
    "after_notice",
    "outcome",
    "duplicate_of",
    "area__name",
    "conference__title",
    "conference__starts_at",
    "category__name",
)


class PetitionViewSetBase(viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    filterset_class = PetitionApiFilter
    input_serializer_class: type[PetitionRowsSerializer]

    def visible_petitions(self):
        petitions = Petition.objects.visible_to(self.request.user).select_related(
            "area", "conference", "category"
        )
        if self.action == "list":
            petitions = petitions.only(*PETITION_LIST_FIELDS)
        return petitions.order_by("-received_on", "-pk")

    def get_serializer_class(self):
        if self.action == "create":
            return self.input_serializer_class
        return PetitionDetailSerializer if self.action == "retrieve" else PetitionSerializer

    def save_batch(self, *, conference: Conference, drafts: list[services.PetitionDraft]) -> Response:
        try:
            petitions = services.petitions_add_to_conference(
                conference=conference, by=self.request.user, drafts=drafts
            )
        except DjangoValidationError as error:
            raise api_error(error) from error
        late = any(petition.after_notice for petition in petitions)
        warning = services.after_notice_warning(conference=conference) if late else ""
        result = PetitionBatchResultSerializer(
            {"petitions": petitions, "warning": warning}, context=self.get_serializer_context()
        )
        return Response(result.data, status=status.HTTP_201_CREATED)


class PetitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PetitionViewSetBase):
    """Opinions and petitions in the caller's area and below. POST adds a batch of opinions to
    one conference, all or none."""

    input_serializer_class = PetitionBatchSerializer

    def get_queryset(self):
        return self.visible_petitions()

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: None})
    @action(detail=True, methods=["get"], url_path="transfer-slip", content_negotiation_class=ErrorsAsJson)
    def transfer_slip(self, request, pk=None, format=None):
        """The transferred petition's stored transfer slip (signed when keys are configured);
        404 while the file is being made, or for a slip transferred before slips were stored."""
        petition = self.get_object()
        issued = stored_slip(petition) if petition.outcome == Petition.Outcome.TRANSFERRED else None
        if issued is None or not issued.is_stored:
            raise NotFound(SLIP_NOT_STORED)
        name = file_name_of(issued.entry, FILE_PREFIX)
        return FileResponse(
            open_stored(issued.pdf), as_attachment=True, filename=name, content_type="application/pdf"
        )

    @extend_schema(responses={201: PetitionBatchResultSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.save_batch(conference=serializer.validated_data["conference"], drafts=serializer.drafts())


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("conference_pk", OpenApiTypes.INT, OpenApiParameter.PATH)]
    ),
    create=extend_schema(
        parameters=[OpenApiParameter("conference_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={201: PetitionBatchResultSerializer},
    ),
)
class ConferencePetitionViewSet(mixins.ListModelMixin, PetitionViewSetBase):
    """The opinions of one conference; POST adds a batch of them, all or none."""

    input_serializer_class = PetitionRowsSerializer

    def conference(self, queryset) -> Conference:
        return get_object_or_404(queryset.select_related("host_area"), pk=self.kwargs["conference_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return Petition.objects.none()
        conference = self.conference(Conference.objects.visible_to(self.request.user))
        return self.visible_petitions().filter(conference=conference).order_by("position", "pk")

    def create(self, request, *args, **kwargs):
        conference = self.conference(Conference.objects.editable_by(request.user))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.save_batch(conference=conference, drafts=serializer.drafts())


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The active categories (lĩnh vực), to choose from when adding opinions."""

    permission_classes = [RolePermission]
    queryset = Category.objects.filter(is_active=True)
    serializer_class = CategorySerializer
    pagination_class = None  # a short list kept by the administrator
    filter_backends = []


# --- the deadline calculator: GET /api/v1/deadlines/compute/ -------------------------------


class DeadlineAnswerSerializer(serializers.Serializer):
    deadline = serializers.DateField(
        validators=[validate_sensible_date],
    )
    rule = serializers.CharField(help_text=_("Quy định áp dụng: số ngày, tên, căn cứ."))
    explanation = serializers.ListField(child=serializers.CharField(), help_text=_("Cách tính, từng bước."))


def _flag(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.BOOL, description=description)


@extend_schema(
    operation_id="deadlines_compute",
    summary=_("Tính thời hạn theo luật"),
    parameters=[
        OpenApiParameter(
            "rule",
            OpenApiTypes.STR,
            required=True,
            enum=list(PROCEDURES),
            description=_("Thủ tục; working-days, calendar-days cần n."),
        ),
        OpenApiParameter(
            "start", OpenApiTypes.DATE, required=True, description=_("Ngày bắt đầu tính (YYYY-MM-DD).")
        ),
        _flag("complex", _("Vụ việc phức tạp (giải quyết khiếu nại).")),
        _flag("remote", _("Vùng sâu, vùng xa (giải quyết khiếu nại).")),
        _flag("multi_place", _("Tố cáo phải xác minh tại nhiều địa điểm (thụ lý).")),
        OpenApiParameter(
            "extensions", OpenApiTypes.INT, description=_("Số lần gia hạn giải quyết tố cáo (0–2).")
        ),
        OpenApiParameter("n", OpenApiTypes.INT, description=_("Số ngày (working-days, calendar-days).")),
    ],
    responses={200: DeadlineAnswerSerializer, 400: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def deadline_compute_view(request):
    """The deadline of a procedure from a start date, with how it was counted: the same
    functions as every stored deadline (petitions.deadlines). Reads no row of any area."""
    form = DeadlineApiForm(request.query_params)
    if form.is_valid():
        try:
            rule, deadline = deadline_compute(form.question)
        except DjangoValidationError as error:  # no version of the rule in force on that date
            form.add_error("start", error)
        else:
            answer = {"deadline": deadline.on, "rule": rule, "explanation": deadline.explanation()}
            return Response(DeadlineAnswerSerializer(answer).data)
    return Response({field: list(messages) for field, messages in form.errors.items()}, status=400)
