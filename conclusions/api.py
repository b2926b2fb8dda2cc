"""The conclusions' part of the JSON API: /api/v1/notices/ and /api/v1/assignments/; what every
app's API shares is in accounts/api.py.

Views are thin, as in views.py: rows come through `visible_to` (out of scope → 404), input is
validated by a serializer, and the change is made by one service of conclusions/services.py.
Besides the 400 of a service's ValidationError, two refusals have their own status:

- 409 Conflict: the notice is issued and so never changes (`services.ALREADY_ISSUED`), its PDF
  is still being rendered, or the assignment belongs to a notice not issued yet;
- 403 Forbidden: the role does not allow the action, or the service says the caller is neither
  the assignee (`services.NOT_YOUR_ASSIGNMENT`) nor on the issuer's side.

Who works on an assignment is the service's decision (`policies.is_assignee`): handlers post
progress, reports and extension requests, so those actions need any role, not the
clerk-or-leader role `RolePermission` asks of writes.

A denouncer's identity never leaves through the API: the petitions an assignment answers show
`public_petitioner` only, as in petitions/api.py.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import (
    NO_ROLE,
    AreaSerializer,
    ErrorsAsJson,
    RolePermission,
    ScopedRelatedField,
    api_error,
    choice_field,
)
from accounts.models import OrgUnit, Role, User
from conclusions import services
from conclusions.forms import ITEMS_REQUIRED
from conclusions.models import (
    Assignment,
    ConclusionNotice,
    ExtensionRequest,
    NoticeItem,
    ProgressUpdate,
    with_assignment_counts,
)
from conclusions.pdf import pdf_file_name, render_notice_pdf, verify_url
from core.api_fields import ChoiceLabelField
from core.bounds import DOCUMENT_CHARS, REMARK_CHARS, validate_sensible_date
from core.files import open_stored
from core.filters import YearFilter
from dialogue.models import Conference
from petitions.api import ConferenceRefSerializer
from petitions.models import Petition
from registers.api import SignatureStatusSerializer

CONFERENCE_NOT_EDITABLE = _(
    "Không tìm thấy hội nghị (mã {pk_value}) trong phạm vi bạn được dự thảo thông báo kết luận."
)
CONFERENCE_NOT_HELD = _("Hội nghị chưa tổ chức: chưa thể dự thảo thông báo kết luận.")
BODY_NOT_FOUND = _("Không tìm thấy cơ quan, đơn vị (mã {pk_value}) trong phạm vi của bạn.")
NOT_AN_ISSUING_BODY = _("Cơ quan ban hành phải là cấp ủy hoặc Ủy ban nhân dân của địa bàn.")
PERSON_NOT_FOUND = _("Không tìm thấy người dùng (mã {pk_value}) trong phạm vi của bạn.")
NOT_A_SIGNER = _("Người ký phải là lãnh đạo của địa bàn.")
ITEM_NOT_FOUND = _("Thông báo không có mục số {position}.")
AGENCY_NOT_IN_AREA = _("Không tìm thấy cơ quan, đơn vị (mã {pk_value}) thuộc địa bàn của thông báo.")
PERSON_NOT_IN_AREA = _("Không tìm thấy người dùng (mã {pk_value}) thuộc địa bàn của thông báo.")
PETITION_NOT_FOUND = _("Không tìm thấy ý kiến (mã {pk_value}) trong phạm vi của bạn.")
PDF_PENDING = _("Tệp PDF đang được tạo. Hãy thử lại sau ít phút.")
DRAFTS_NOT_DELETED = _("Dự thảo không xóa qua API; hãy sửa lại dự thảo.")
NOT_ISSUED_YET = _("Thông báo chưa ban hành nên việc này chưa được giao: chưa thực hiện được thao tác này.")
NO_PENDING_EXTENSION = _("Việc này không có đề nghị gia hạn nào chờ quyết định.")
MAX_ITEMS = services.MAX_NOTICE_ITEMS

# The services' refusals that say who may act, not what is wrong with the input.
FORBIDDING = (
    services.NOT_YOUR_ASSIGNMENT,
    services.NOT_THE_ISSUER,
    services.ONLY_LEADERS_ISSUE,
    services.ONLY_LEADERS_DECIDE,
)


# --- status codes and permissions ---------------------------------------------------------


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Thao tác không phù hợp với trạng thái hiện tại.")
    default_code = "conflict"


def service_error(error: DjangoValidationError) -> exceptions.APIException:
    """A service's ValidationError as the API answers it: "not yours to do" is a 403, "already
    issued" a 409, anything else a 400 with the messages under their fields (`api_error`)."""
    if not hasattr(error, "error_dict") and len(error.messages) == 1:
        message = error.messages[0]
        if message in {str(forbidding) for forbidding in FORBIDDING}:
            return exceptions.PermissionDenied(message)
        if message == str(services.ALREADY_ISSUED):
            return Conflict(message)
    return api_error(error)


class AnyRolePermission(permissions.BasePermission):
    """Any role, for reading and for writing: for the assignee's own actions (progress, report,
    extension), where the service decides whether the caller is an assignee."""

    message = NO_ROLE

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return user.has_role(*Role)


class LeaderPermission(permissions.BasePermission):
    message = services.ONLY_LEADERS_ISSUE

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return user.has_role(Role.LEADER)


class DecisionPermission(LeaderPermission):
    message = services.ONLY_LEADERS_DECIDE


class DetailSerializer(serializers.Serializer):
    """The body of a 403, 404, 405 or 409."""

    detail = serializers.CharField()


def conflict(description: str) -> OpenApiResponse:
    return OpenApiResponse(DetailSerializer, description=description)


ISSUED_CONFLICT = conflict("Thông báo đã ban hành: không thay đổi được (services.ALREADY_ISSUED).")


# --- shared pieces ------------------------------------------------------------------------

NoticeStatusField = choice_field(ConclusionNotice.Status, "NoticeStatusEnum")
SignModeField = choice_field(ConclusionNotice.SignMode, "SignModeEnum")
AssignmentStatusField = choice_field(Assignment.Status, "AssignmentStatusEnum")
DeadlineRuleField = choice_field(Assignment.DeadlineRule, "DeadlineRuleEnum")
ExtensionStatusField = choice_field(ExtensionRequest.Status, "ExtensionStatusEnum")


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name"]


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name", "title"]


class NoticeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoticeItem
        fields = ["id", "position", "text"]


class PetitionRefSerializer(serializers.ModelSerializer):
    """An opinion an assignment answers: never a denouncer's identity."""

    petitioner = serializers.CharField(source="public_petitioner", read_only=True)

    class Meta:
        model = Petition
        fields = ["id", "tracking_code", "position", "content", "petitioner"]
        read_only_fields = fields


# --- assignments as they are shown --------------------------------------------------------


class NoticeRefSerializer(serializers.ModelSerializer):
    status = NoticeStatusField(read_only=True)

    class Meta:
        model = ConclusionNotice
        fields = ["id", "number_label", "status", "issued_on", "summary"]
        read_only_fields = fields


class ProgressUpdateSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)
    evidence_name = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = ["id", "author", "text", "evidence_name", "created_at"]
        read_only_fields = fields

    def get_evidence_name(self, update: ProgressUpdate) -> str:
        """The attached file's name ("" without one); the file is downloaded from the web page."""
        return update.evidence.name.rsplit("/", 1)[-1] if update.evidence else ""


class ExtensionRequestSerializer(serializers.ModelSerializer):
    requested_by = PersonSerializer(read_only=True)
    decided_by = PersonSerializer(read_only=True, allow_null=True)
    status = ExtensionStatusField(read_only=True)
    status_display = ChoiceLabelField("status")

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "requested_by",
            "requested_deadline",
            "reason",
            "status",
            "status_display",
            "previous_deadline",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
        ]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    # A written petition's assignment has neither notice nor item.
    notice = NoticeRefSerializer(read_only=True, allow_null=True)
    item = NoticeItemSerializer(read_only=True, allow_null=True)
    area = AreaSerializer(read_only=True)
    lead_agency = AgencySerializer(read_only=True)
    responsible_person = PersonSerializer(read_only=True, allow_null=True)
    status = AssignmentStatusField(read_only=True)
    status_display = ChoiceLabelField("status")
    deadline_rule = DeadlineRuleField(read_only=True)
    days_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "notice",
            "item",
            "task",
            "area",
            "lead_agency",
            "responsible_person",
            "status",
            "status_display",
            "deadline_rule",
            "deadline_days",
            "deadline_from",
            "deadline",
            "days_overdue",
        ]
        read_only_fields = fields

    def get_days_overdue(self, assignment: Assignment) -> int:
        """Days past the deadline today (0 when not overdue or accepted)."""
        return assignment.days_overdue(self.context.get("today") or timezone.localdate())


# The columns AssignmentSerializer shows (and the list's ordering: deadline, id), of the
# assignment and of its five joined rows: without `only` each of a page's 51 rows brought every
# column of its notice (preamble, closing, recipients, PDF fields), of both units and of the
# person (password hash and all), read, sent and built into model instances to show two to five
# of them (issue 21: API assignments, page 1, province).
ASSIGNMENT_LIST_FIELDS = (
    "task",
    "status",
    "deadline_rule",
    "deadline_days",
    "deadline_from",
    "deadline",
    "notice__number_label",
    "notice__status",
    "notice__issued_on",
    "notice__summary",
    "item__position",
    "item__text",
    "area__name",
    "lead_agency__name",
    "responsible_person__full_name",
    "responsible_person__title",
)


class AssignmentDetailSerializer(AssignmentSerializer):
    coordinating_agencies = AgencySerializer(many=True, read_only=True)
    petitions = PetitionRefSerializer(many=True, read_only=True)
    accepted_by = PersonSerializer(read_only=True, allow_null=True)
    updates = ProgressUpdateSerializer(many=True, read_only=True)
    extensions = ExtensionRequestSerializer(many=True, read_only=True)

    class Meta(AssignmentSerializer.Meta):
        fields = [
            *AssignmentSerializer.Meta.fields,
            "coordinating_agencies",
            "petitions",
            "answer_to_citizen",
            "reported_at",
            "accepted_at",
            "accepted_by",
            "return_reason",
            "updates",
            "extensions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, assignment: Assignment) -> dict:
        data = super().to_representation(assignment)
        user = self.context["request"].user if "request" in self.context else None
        if user is not None and not assignment.case_files_visible_to(user):
            # A denunciation's case files: only the reports the caller wrote, no answer.
            data["answer_to_citizen"] = ""
            data["updates"] = [update for update in data["updates"] if update["author"]["id"] == user.pk]
        return data


def assignment_detail_queryset():
    return Assignment.objects.select_related(
        "notice", "item", "area", "lead_agency", "responsible_person", "accepted_by"
    ).prefetch_related(
        "coordinating_agencies",
        "petitions",
        Prefetch("updates", queryset=ProgressUpdate.objects.select_related("author")),
        Prefetch(
            "extensions", queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by")
        ),
    )


def assignment_detail(assignment: Assignment, context: dict) -> dict:
    """The assignment as GET /assignments/{id}/ shows it, read again after a change."""
    assignment = assignment_detail_queryset().get(pk=assignment.pk)
    return AssignmentDetailSerializer(assignment, context=context).data


# --- notices: reading and writing ---------------------------------------------------------


class AssignmentSummarySerializer(serializers.ModelSerializer):
    """An assignment as its notice lists it."""

    item = serializers.IntegerField(source="item.position", read_only=True, help_text="Số thứ tự của mục.")
    lead_agency = AgencySerializer(read_only=True)
    status = AssignmentStatusField(read_only=True)
    deadline_rule = DeadlineRuleField(read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "item", "task", "lead_agency", "status", "deadline_rule", "deadline_days", "deadline"]
        read_only_fields = fields


class NoticeBaseSerializer(serializers.ModelSerializer):
    area = AreaSerializer(read_only=True)
    conference = ConferenceRefSerializer(read_only=True, allow_null=True)
    issuing_body = AgencySerializer(read_only=True)
    status = NoticeStatusField(read_only=True)
    status_display = ChoiceLabelField("status")
    pdf_pending = serializers.SerializerMethodField()

    class Meta:
        model = ConclusionNotice
        fields = [
            "id",
            "status",
            "status_display",
            "number_label",
            "issued_on",
            "summary",
            "area",
            "conference",
            "issuing_body",
            "amends",
            "pdf_pending",
        ]
        read_only_fields = fields

    def get_pdf_pending(self, notice: ConclusionNotice) -> bool:
        """Issued, but its PDF is not stored yet (GET .../pdf/ answers 409 until it is)."""
        return notice.is_issued and not notice.pdf_sha256


class NoticeSerializer(NoticeBaseSerializer):
    assignment_count = serializers.IntegerField(read_only=True)

    class Meta(NoticeBaseSerializer.Meta):
        fields = [*NoticeBaseSerializer.Meta.fields, "assignment_count"]
        read_only_fields = fields


class NoticeDetailSerializer(NoticeBaseSerializer):
    signer = PersonSerializer(read_only=True)
    sign_mode = SignModeField(read_only=True)
    items = NoticeItemSerializer(many=True, read_only=True)
    assignments = AssignmentSummarySerializer(many=True, read_only=True)
    amendments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    pdf_url = serializers.SerializerMethodField()
    signatures = SignatureStatusSerializer(source="pdf_signatures", many=True, read_only=True)
    verify_url = serializers.SerializerMethodField()

    class Meta(NoticeBaseSerializer.Meta):
        fields = [
            *NoticeBaseSerializer.Meta.fields,
            "pdf_url",
            "pdf_sha256",
            "signatures",
            "verify_url",
            "preamble",
            "items",
            "closing",
            "recipients",
            "signer",
            "sign_mode",
            "signer_title",
            "assignments",
            "amendments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_pdf_url(self, notice: ConclusionNotice) -> str | None:
        if self.get_pdf_pending(notice):
            return None
        return self.context["request"].build_absolute_uri(reverse("api:notice-pdf", args=[notice.pk]))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_verify_url(self, notice: ConclusionNotice) -> str | None:
        """The public check printed as a QR code on the issued notice."""
        return verify_url(notice) if notice.is_issued and notice.verify_code else None


class EditableHeldConferenceField(ScopedRelatedField):
    default_error_messages = {"does_not_exist": CONFERENCE_NOT_EDITABLE}

    def scoped(self, queryset, user):
        return super().scoped(queryset, user).select_related("host_area")

    def to_internal_value(self, data) -> Conference:
        conference = super().to_internal_value(data)
        if not conference.is_held:
            raise serializers.ValidationError(CONFERENCE_NOT_HELD)
        return conference


class EditableBodyField(ScopedRelatedField):
    default_error_messages = {"does_not_exist": BODY_NOT_FOUND}


class EditablePersonField(ScopedRelatedField):
    default_error_messages = {"does_not_exist": PERSON_NOT_FOUND}


class NoticeDraftUpdateSerializer(serializers.ModelSerializer):
    """Input of PUT/PATCH /notices/{id}/: the arguments of `services.notice_draft_update`.
    As on the web's form, the issuing body is a Party committee or People's Committee of the
    notice's area, and the signer one of the area's leaders."""

    issuing_body = EditableBodyField(queryset=OrgUnit.objects.all())
    signer = EditablePersonField(queryset=User.objects.all())
    sign_mode = SignModeField(default=ConclusionNotice.SignMode.ON_BEHALF)
    items = serializers.ListField(
        child=serializers.CharField(max_length=DOCUMENT_CHARS),
        allow_empty=False,
        max_length=MAX_ITEMS,
        error_messages={"empty": ITEMS_REQUIRED},
        help_text="Các mục kết luận theo thứ tự; hệ thống tự đánh số 1, 2, 3…",
    )

    class Meta:
        model = ConclusionNotice
        fields = [
            "issuing_body",
            "summary",
            "preamble",
            "items",
            "closing",
            "recipients",
            "signer",
            "sign_mode",
            "signer_title",
        ]

    def notice_area(self, attrs: dict) -> OrgUnit:
        return self.instance.area

    def validate(self, attrs: dict) -> dict:
        area = self.notice_area(attrs)
        errors = {}
        body = attrs.get("issuing_body")
        if body is not None and not (
            body.parent_id == area.pk
            and body.kind in (OrgUnit.Kind.PARTY_COMMITTEE, OrgUnit.Kind.PEOPLES_COMMITTEE)
        ):
            errors["issuing_body"] = [NOT_AN_ISSUING_BODY]
        signer = attrs.get("signer")
        if signer is not None and not (
            signer.is_active
            and signer.holds_role(Role.LEADER)
            and signer.agency_id
            and signer.agency.area_id in (area.pk, area.successor_id)
        ):
            errors["signer"] = [NOT_A_SIGNER]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class NoticeDraftSerializer(NoticeDraftUpdateSerializer):
    """Input of POST /notices/: a draft for a held conference, `services.notice_draft_create`."""

    conference = EditableHeldConferenceField(queryset=Conference.objects.all())

    class Meta(NoticeDraftUpdateSerializer.Meta):
        fields = ["conference", *NoticeDraftUpdateSerializer.Meta.fields]

    def notice_area(self, attrs: dict) -> OrgUnit:
        return attrs["conference"].host_area


class NoticeScopedField(serializers.PrimaryKeyRelatedField):
    """A related id limited to the area of the notice in the context (as the web's
    AssignmentForm offers): `scoped` narrows the queryset."""

    def scoped(self, queryset, notice: ConclusionNotice):
        raise NotImplementedError

    def get_queryset(self):
        return self.scoped(super().get_queryset(), self.context["notice"])


class NoticeAgencyField(NoticeScopedField):
    default_error_messages = {"does_not_exist": AGENCY_NOT_IN_AREA}

    def scoped(self, queryset, notice):
        return queryset.subtree(notice.area).bodies()


class NoticePersonField(NoticeScopedField):
    default_error_messages = {"does_not_exist": PERSON_NOT_IN_AREA}

    def scoped(self, queryset, notice):
        return queryset.filter(agency__path__startswith=notice.area.path, is_active=True)


class VisiblePetitionField(serializers.PrimaryKeyRelatedField):
    """Any opinion the caller sees; whether it may be answered here (open, of this conference)
    is the service's check (`services.PETITION_NOT_OPEN`)."""

    default_error_messages = {"does_not_exist": PETITION_NOT_FOUND}

    def get_queryset(self):
        return super().get_queryset().visible_to(self.context["request"].user)


class AssignmentAddSerializer(serializers.Serializer):
    """Input of POST /notices/{id}/assignments/: the arguments of `services.assignment_add`."""

    item = serializers.IntegerField(min_value=1, help_text="Số thứ tự của mục kết luận (1, 2, 3…).")
    task = serializers.CharField(max_length=DOCUMENT_CHARS)
    lead_agency = NoticeAgencyField(queryset=OrgUnit.objects.all())
    coordinating_agencies = NoticeAgencyField(queryset=OrgUnit.objects.all(), many=True, required=False)
    responsible_person = NoticePersonField(queryset=User.objects.all(), required=False, allow_null=True)
    petitions = VisiblePetitionField(queryset=Petition.objects.all(), many=True, required=False)
    deadline_rule = DeadlineRuleField()
    deadline = serializers.DateField(
        validators=[validate_sensible_date],
        required=False,
        allow_null=True,
        default=None,
        help_text="Hạn, khi cách tính là ngày cụ thể.",
    )
    deadline_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=365,
        help_text="Số ngày kể từ ngày ban hành, khi hạn tính theo số ngày.",
    )

    def validate_item(self, position: int) -> NoticeItem:
        item = self.context["notice"].items.filter(position=position).first()
        if item is None:
            raise serializers.ValidationError(str(ITEM_NOT_FOUND).format(position=position))
        return item

    def service_arguments(self) -> dict:
        data = dict(self.validated_data)
        deadline = services.DeadlineSpec(
            rule=data.pop("deadline_rule"), on=data.pop("deadline"), days=data.pop("deadline_days")
        )
        return {**data, "deadline": deadline}


class NoticeApiFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ConclusionNotice.Status.choices)
    conference = django_filters.NumberFilter(label=_("Hội nghị"), field_name="conference")
    issuing_body = django_filters.NumberFilter(label=_("Cơ quan ban hành"), field_name="issuing_body")
    year = YearFilter(label=_("Năm ban hành"), field_name="issued_on", lookup_expr="year")

    class Meta:
        model = ConclusionNotice
        fields = ["status", "conference", "issuing_body", "year"]


def notice_detail_queryset():
    assignments = Assignment.objects.select_related("item", "lead_agency").order_by("item__position", "pk")
    return ConclusionNotice.objects.select_related(
        "area", "conference", "issuing_body", "signer"
    ).prefetch_related(
        "items",
        Prefetch("assignments", queryset=assignments),
        Prefetch("amendments", queryset=ConclusionNotice.objects.only("pk")),
    )


class NoticeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Conclusion notices in the caller's area and below. A draft is changed through the API;
    an issued notice never changes (409): a correction is a new draft (POST .../amend/)."""

    permission_classes = [RolePermission]
    filterset_class = NoticeApiFilter
    serializer_classes = {
        "list": NoticeSerializer,
        "create": NoticeDraftSerializer,
        "update": NoticeDraftUpdateSerializer,
        "partial_update": NoticeDraftUpdateSerializer,
        "assignments": AssignmentAddSerializer,
    }
    WRITES = ("create", "update", "partial_update", "destroy", "issue", "amend", "assignments")

    def get_queryset(self):
        user = self.request.user
        if self.action in self.WRITES:
            return ConclusionNotice.objects.editable_by(user).select_related(
                "area", "conference", "issuing_body"
            )
        notices = ConclusionNotice.objects.visible_to(user)
        if self.action == "list":
            # assignment_count: counted for the page's rows only (paginate_queryset).
            return notices.select_related("area", "conference", "issuing_body").order_by("-issued_on", "-pk")
        if self.action == "pdf":
            # What the PDF's template reads (as conclusions.tasks does).
            return notices.select_related("issuing_body", "area__parent", "signer", "amends")
        return notice_detail_queryset().visible_to(user)

    def get_serializer_class(self):
        return self.serializer_classes.get(self.action, NoticeDetailSerializer)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return with_assignment_counts(page) if page is not None and self.action == "list" else page

    def _detail(self, notice: ConclusionNotice) -> dict:
        """The notice as GET /notices/{id}/ shows it, read again after the change."""
        notice = notice_detail_queryset().get(pk=notice.pk)
        return NoticeDetailSerializer(notice, context=self.get_serializer_context()).data

    def _draft(self) -> ConclusionNotice:
        notice = self.get_object()
        if notice.is_issued:
            raise Conflict(services.ALREADY_ISSUED)
        return notice

    @extend_schema(request=NoticeDraftSerializer, responses={201: NoticeDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            notice = services.notice_draft_create(by=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise service_error(error) from error
        return Response(self._detail(notice), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: NoticeDetailSerializer, 409: ISSUED_CONFLICT})
    def update(self, request, *args, **kwargs):
        notice = self._draft()
        serializer = self.get_serializer(notice, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        try:
            notice = services.notice_draft_update(notice=notice, by=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise service_error(error) from error
        return Response(self._detail(notice))

    @extend_schema(responses={200: NoticeDetailSerializer, 409: ISSUED_CONFLICT})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(
        responses={
            405: OpenApiResponse(DetailSerializer, description="Dự thảo không xóa qua API."),
            409: ISSUED_CONFLICT,
        }
    )
    def destroy(self, request, *args, **kwargs):
        """Refused: an issued notice never changes (409), and no service deletes a draft (405)."""
        self._draft()
        raise exceptions.MethodNotAllowed(request.method, detail=DRAFTS_NOT_DELETED)

    @extend_schema(request=None, responses={200: NoticeDetailSerializer, 409: ISSUED_CONFLICT})
    @action(detail=True, methods=["post"], permission_classes=[LeaderPermission])
    def issue(self, request, pk=None):
        """Issue the draft (leaders only): number it, fix the deadlines; the PDF follows."""
        notice = self.get_object()
        try:
            notice = services.notice_issue(notice=notice, by=request.user)
        except DjangoValidationError as error:
            raise service_error(error) from error
        return Response(self._detail(notice))

    @extend_schema(request=None, responses={201: NoticeDetailSerializer})
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        """A new draft that corrects this issued notice (which itself stays as it is)."""
        notice = self.get_object()
        try:
            draft = services.notice_amend(notice=notice, by=request.user)
        except DjangoValidationError as error:
            raise service_error(error) from error
        return Response(self._detail(draft), status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            409: conflict("Tệp PDF của thông báo đã ban hành đang được tạo."),
        }
    )
    @action(detail=True, methods=["get"], content_negotiation_class=ErrorsAsJson)
    def pdf(self, request, pk=None, format=None):
        """An issued notice's stored PDF; a draft's PDF rendered now and marked DỰ THẢO."""
        notice = self.get_object()
        if notice.is_issued:
            if not notice.pdf_sha256:
                raise Conflict(PDF_PENDING)
            return FileResponse(
                open_stored(notice.pdf),
                as_attachment=True,
                filename=pdf_file_name(notice),
                content_type="application/pdf",
            )
        response = HttpResponse(render_notice_pdf(notice, draft=True), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="du-thao-thong-bao-{notice.pk}.pdf"'
        return response

    @extend_schema(
        request=AssignmentAddSerializer,
        responses={201: AssignmentDetailSerializer, 409: ISSUED_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def assignments(self, request, pk=None):
        """Give a task of the draft to an agency, with its deadline rule."""
        notice = self._draft()
        serializer = AssignmentAddSerializer(
            data=request.data, context={**self.get_serializer_context(), "notice": notice}
        )
        serializer.is_valid(raise_exception=True)
        try:
            assignment = services.assignment_add(
                notice=notice, by=request.user, **serializer.service_arguments()
            )
        except DjangoValidationError as error:
            raise service_error(error) from error
        return Response(
            assignment_detail(assignment, self.get_serializer_context()), status=status.HTTP_201_CREATED
        )


# --- assignments: following them ----------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=DOCUMENT_CHARS)
    # Size and type are checked by the model field's validator (core.uploads.validate_upload),
    # which also answers an empty file in Vietnamese.
    evidence = serializers.FileField(required=False, allow_null=True, allow_empty_file=True, default=None)


class ReportSerializer(serializers.Serializer):
    # Not required here: the service answers a missing answer (services.ANSWER_REQUIRED).
    answer_to_citizen = serializers.CharField(
        max_length=DOCUMENT_CHARS, required=False, allow_blank=True, default=""
    )


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REMARK_CHARS, required=False, allow_blank=True, default="")


class ExtensionSerializer(serializers.Serializer):
    requested_deadline = serializers.DateField(
        validators=[validate_sensible_date],
    )
    reason = serializers.CharField(max_length=REMARK_CHARS, required=False, allow_blank=True, default="")


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=REMARK_CHARS, required=False, allow_blank=True, default="")


class AssignmentApiFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Assignment.Status.choices)
    lead_agency = django_filters.NumberFilter(label=_("Cơ quan chủ trì"), field_name="lead_agency")
    notice = django_filters.NumberFilter(label=_("Thông báo"), field_name="notice")
    overdue = django_filters.BooleanFilter(
        label=_("Quá hạn (hạn đã qua, chưa nghiệm thu)"), method="filter_overdue"
    )
    mine = django_filters.BooleanFilter(
        label=_("Việc cơ quan tôi chủ trì, phối hợp hoặc tôi chịu trách nhiệm"), method="filter_mine"
    )

    class Meta:
        model = Assignment
        fields = ["status", "lead_agency", "notice", "overdue", "mine"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Assignment.objects.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.of_user(self.request.user)


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assignments whose work has started (given by an issued notice, or for a written
    petition, which has no notice) in the caller's area and below, soonest deadline first.
    The assignees (`policies.is_assignee`) report progress, report done and ask for more time;
    the issuer's clerks and leaders accept or return the work; leaders decide extensions."""

    permission_classes = [RolePermission]
    filterset_class = AssignmentApiFilter
    serializer_classes = {
        "list": AssignmentSerializer,
        "progress": ProgressSerializer,
        "accept": serializers.Serializer,
        "report": ReportSerializer,
        "return_": ReturnSerializer,
        "extension": ExtensionSerializer,
        "decide_extension": DecisionSerializer,
    }

    def get_queryset(self):
        if self.action == "list":
            assignments = Assignment.objects.visible_to(self.request.user, for_page=True)
            return (
                assignments.started()
                .select_related("notice", "item", "area", "lead_agency", "responsible_person")
                .only(*ASSIGNMENT_LIST_FIELDS)
                .order_by("deadline", "pk")
            )
        if self.action == "retrieve":
            return assignment_detail_queryset().visible_to(self.request.user)
        return Assignment.objects.visible_to(self.request.user).select_related("notice")

    def get_serializer_class(self):
        return self.serializer_classes.get(self.action, AssignmentDetailSerializer)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _act(self, change) -> Response:
        """Validate the input, make the change through one service, answer the assignment."""
        assignment = self.get_object()
        # A written petition's assignment has no notice: it started when it was made.
        if not assignment.is_started:
            raise Conflict(NOT_ISSUED_YET)
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        try:
            change(assignment, serializer.validated_data)
        except DjangoValidationError as error:
            raise service_error(error) from error
        return Response(assignment_detail(assignment, self.get_serializer_context()))

    @extend_schema(request=ProgressSerializer, responses={200: AssignmentDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[AnyRolePermission])
    def progress(self, request, pk=None):
        """Report progress, with an optional evidence file (multipart). Assignees only."""
        return self._act(
            lambda assignment, data: services.assignment_progress(
                assignment=assignment, by=request.user, **data
            )
        )

    @extend_schema(request=ReportSerializer, responses={200: AssignmentDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[AnyRolePermission])
    def report(self, request, pk=None):
        """Report the work done, with the answer sent to the citizens. Assignees only."""
        return self._act(
            lambda assignment, data: services.assignment_report_done(
                assignment=assignment, by=request.user, **data
            )
        )

    @extend_schema(request=None, responses={200: AssignmentDetailSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the reported work (the issuer's clerks and leaders)."""
        return self._act(
            lambda assignment, data: services.assignment_accept(assignment=assignment, by=request.user)
        )

    @extend_schema(request=ReturnSerializer, responses={200: AssignmentDetailSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Send the reported work back, with the reason (the issuer's clerks and leaders)."""
        return self._act(
            lambda assignment, data: services.assignment_return(
                assignment=assignment, by=request.user, **data
            )
        )

    @extend_schema(request=ExtensionSerializer, responses={200: AssignmentDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[AnyRolePermission])
    def extension(self, request, pk=None):
        """Ask for a later deadline. Assignees only; a leader decides."""
        return self._act(
            lambda assignment, data: services.extension_request(
                assignment=assignment, by=request.user, **data
            )
        )

    @extend_schema(request=DecisionSerializer, responses={200: AssignmentDetailSerializer})
    @action(
        detail=True, methods=["post"], url_path="decide-extension", permission_classes=[DecisionPermission]
    )
    def decide_extension(self, request, pk=None):
        """Approve or refuse the pending extension request (leaders only)."""

        def decide(assignment: Assignment, data: dict) -> None:
            pending = assignment.extensions.filter(status=ExtensionRequest.Status.PENDING).first()
            if pending is None:
                raise DjangoValidationError(NO_PENDING_EXTENSION)
            services.extension_decide(request=pending, by=request.user, **data)

        return self._act(decide)
