from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.scoping import ScopedQuerySet
from core.bounds import DOCUMENT_CHARS, MINUTES_CHARS, REMARK_CHARS, BoundedTextField, validate_sensible_date
from core.models import BaseModel, SearchableModel, SearchQuerySet, ValidityQuerySet
from core.uploads import validate_upload


class ConferenceBasis(BaseModel):
    """The legal basis a conference is held under: a list kept as data (Decision 2200-QĐ/TU,
    the Law on Local Government 2025 art. 43, Regulation 11-QĐi/TW, ad hoc...)."""

    name = models.CharField(_("tên"), max_length=255, unique=True)
    short_name = models.CharField(_("tên ngắn"), max_length=64)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    # The Law on Local Government 2025 asks that the people are told of a dialogue in advance;
    # how many days was not found in a checked text, so it is data (default 7) an admin sets.
    advance_notice_days = models.PositiveSmallIntegerField(
        _("thông báo trước cho Nhân dân (ngày)"),
        default=7,
        db_default=7,
        help_text=_("Cảnh báo khi lên kế hoạch hội nghị gần hơn số ngày này. 0: không cảnh báo."),
    )
    citation_verified = models.BooleanField(
        _("đã đối chiếu điều, khoản với văn bản"),
        default=True,
        db_default=True,
        help_text=_("Bỏ chọn khi điều, khoản trích dẫn chưa được đối chiếu với văn bản gốc."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("căn cứ tổ chức")
        verbose_name_plural = _("căn cứ tổ chức")

    def __str__(self) -> str:
        return self.short_name


REQUIREMENT_PERIODS_OVERLAP = _(
    "Đã có một yêu cầu cho loại địa bàn này áp dụng trong khoảng thời gian này: "
    "hãy ghi ngày kết thúc ở yêu cầu cũ trước."
)


class ConferenceRequirement(BaseModel):
    """How many conferences an area of a kind must hold each year (e.g. at least one a year
    per ward under Decision 2200-QĐ/TU). A rule kept as data, in versions (`valid_from`,
    `valid_to`): a year is judged by the version in force in it. Only the scheduled
    conferences of the bases it names count (none named: every basis); ad hoc ones are shown
    apart."""

    area_kind = models.CharField(_("loại địa bàn"), max_length=32, choices=OrgUnit.Kind.choices)
    per_year = models.PositiveSmallIntegerField(_("số hội nghị tối thiểu mỗi năm"), default=1)
    note = models.CharField(_("căn cứ"), max_length=255, blank=True)
    bases = models.ManyToManyField(
        ConferenceBasis,
        verbose_name=_("tính các hội nghị định kỳ theo căn cứ"),
        blank=True,
        help_text=_("Để trống: hội nghị định kỳ theo mọi căn cứ. Hội nghị đột xuất không bao giờ được tính."),
    )
    valid_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến hết ngày"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("yêu cầu số hội nghị")
        verbose_name_plural = _("yêu cầu số hội nghị")
        constraints = [
            models.UniqueConstraint(
                fields=["area_kind", "valid_from"],
                nulls_distinct=False,
                name="conference_requirement_one_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_kind_display()}: {self.per_year}/năm"

    def clean(self) -> None:
        if ConferenceRequirement.objects.overlapping(self, area_kind=self.area_kind).exists():
            raise ValidationError(REQUIREMENT_PERIODS_OVERLAP)


VOTER_MEETING_NEEDS_LEVEL = _("Cuộc tiếp xúc cử tri cần ghi đại biểu cấp nào.")
VOTER_MEETING_NEEDS_DEPUTIES = _("Hãy ghi các đại biểu dự tiếp xúc cử tri.")


class ConferenceQuerySet(ScopedQuerySet, SearchQuerySet):
    scope_field = "host_area"

    def held(self):
        return self.filter(status__in=Conference.HELD_STATUSES)

    def dialogues(self):
        return self.filter(meeting_type=Conference.MeetingType.DIALOGUE)

    def voter_meetings(self):
        return self.filter(meeting_type=Conference.MeetingType.VOTER_MEETING)


class Conference(SearchableModel, BaseModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Đã lên kế hoạch")
        HELD = "held", _("Đã tổ chức")
        CONCLUDED = "concluded", _("Đã có thông báo kết luận")
        CLOSED = "closed", _("Đã hoàn thành")
        CANCELLED = "cancelled", _("Đã hủy")

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Định kỳ")
        AD_HOC = "ad_hoc", _("Đột xuất")

    class MeetingType(models.TextChoices):
        """A dialogue of the heads of the Party committee and government (Decision 2200-QĐ/TU),
        or a meeting of elected deputies with their voters (tiếp xúc cử tri) that the Fatherland
        Front organises before and after each session (joint resolution
        72/2025/NQLT/UBTVQH15-CP-ĐCTUBTWMTTQVN, arts. 30–32, which details how voter meetings of
        National Assembly and People's Council deputies are organised; see docs/VOTER_MEETINGS.md).
        Both go through the same chain: petitions raised, classified, assigned or forwarded,
        answered."""

        DIALOGUE = "dialogue", _("Hội nghị tiếp xúc, đối thoại")
        VOTER_MEETING = "voter_meeting", _("Tiếp xúc cử tri")

    class DeputyLevel(models.TextChoices):
        # Grouped as Hanoi's review (seed 002) counts them: National Assembly and city deputies
        # together, district deputies apart (the district level ended on 01/07/2025).
        NATIONAL_CITY = "national_city", _("Đại biểu Quốc hội, HĐND thành phố, tỉnh")
        DISTRICT = "district", _("Đại biểu HĐND quận, huyện, thị xã")
        COMMUNE = "commune", _("Đại biểu HĐND xã, phường, thị trấn")

    class SessionTiming(models.TextChoices):
        BEFORE = "before", _("Trước kỳ họp")
        AFTER = "after", _("Sau kỳ họp")
        OTHER = "other", _("Chuyên đề, theo lĩnh vực")

    HELD_STATUSES = (Status.HELD, Status.CONCLUDED, Status.CLOSED)

    host_area = models.ForeignKey(
        OrgUnit, verbose_name=_("địa bàn tổ chức"), on_delete=models.PROTECT, related_name="conferences"
    )
    title = models.CharField(_("tên hội nghị"), max_length=255)
    basis = models.ForeignKey(ConferenceBasis, verbose_name=_("căn cứ"), on_delete=models.PROTECT)
    kind = models.CharField(_("hình thức"), max_length=16, choices=Kind.choices, default=Kind.SCHEDULED)
    starts_at = models.DateTimeField(_("thời gian"), validators=[validate_sensible_date])
    place = models.CharField(_("địa điểm"), max_length=255)
    agenda = BoundedTextField(_("chương trình"), max_length=DOCUMENT_CHARS, blank=True)
    invited_guests = BoundedTextField(_("thành phần mời"), max_length=DOCUMENT_CHARS, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    participant_count = models.PositiveIntegerField(_("số người dự"), null=True, blank=True)
    minutes = BoundedTextField(_("biên bản"), max_length=MINUTES_CHARS, blank=True)
    report_summary = BoundedTextField(_("tóm tắt báo cáo"), max_length=DOCUMENT_CHARS, blank=True)
    held_on = models.DateField(_("ngày tổ chức"), null=True, blank=True, editable=False)
    # Database defaults too: bulk loaders (bench, the scale generator's COPY) that name only the
    # older columns still write valid dialogues.
    meeting_type = models.CharField(
        _("loại hội nghị"),
        max_length=16,
        choices=MeetingType.choices,
        default=MeetingType.DIALOGUE,
        db_default=MeetingType.DIALOGUE,
    )
    # Voter meetings only (blank for a dialogue):
    deputy_level = models.CharField(
        _("đại biểu cấp"), max_length=16, choices=DeputyLevel.choices, blank=True, default="", db_default=""
    )
    deputies = BoundedTextField(
        _("đại biểu dự tiếp xúc"),
        max_length=REMARK_CHARS,
        blank=True,
        default="",
        db_default="",
        help_text=_("Mỗi đại biểu một dòng: Họ và tên – Chức vụ."),
    )
    session = models.CharField(
        _("kỳ họp"),
        max_length=255,
        blank=True,
        default="",
        db_default="",
        help_text=_("Ví dụ: Kỳ họp thứ 10, HĐND thành phố khóa XVI."),
    )
    session_timing = models.CharField(
        _("thời điểm tiếp xúc"),
        max_length=16,
        choices=SessionTiming.choices,
        blank=True,
        default="",
        db_default="",
    )
    forwarded_to = models.CharField(
        _("cơ quan tiếp nhận kiến nghị"),
        max_length=255,
        blank=True,
        default="",
        db_default="",
        help_text=_("Nơi tổng hợp, chuyển kiến nghị cử tri, ví dụ Thường trực HĐND thành phố."),
    )
    cancel_reason = BoundedTextField(_("lý do hủy"), max_length=REMARK_CHARS, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("hội nghị đối thoại")
        verbose_name_plural = _("hội nghị đối thoại")
        indexes = [
            models.Index(fields=["host_area", "-starts_at"], name="conference_area_time"),
            models.Index(fields=["status", "-starts_at"], name="conference_status_time"),
            models.Index(fields=["basis", "-starts_at"], name="conference_basis_time"),
            models.Index(fields=["kind", "-starts_at"], name="conference_kind_time"),
            models.Index(fields=["-starts_at"], name="conference_time"),
            models.Index(fields=["status", "held_on"], name="conference_status_held"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(meeting_type="dialogue", deputy_level="")
                | (models.Q(meeting_type="voter_meeting") & ~models.Q(deputy_level="")),
                name="conference_deputy_level_for_voter_meetings",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d/%m/%Y})"

    def clean(self) -> None:
        super().clean()
        if not self.is_voter_meeting:
            return
        errors = {}
        if not self.deputy_level:
            errors["deputy_level"] = VOTER_MEETING_NEEDS_LEVEL
        if not self.deputies.strip():
            errors["deputies"] = VOTER_MEETING_NEEDS_DEPUTIES
        if errors:
            raise ValidationError(errors)

    def search_source(self) -> list[str | None]:
        # The area's name is read through the cached relation; services set it before saving.
        area_name = self.host_area.name if self.host_area_id else ""
        chairs = [f"{chair.full_name} {chair.title}" for chair in self._chairs_for_search()]
        return [self.title, self.place, area_name, self.agenda, self.deputies, *chairs]

    def _chairs_for_search(self):
        return list(self.chairs.all()) if self.pk else []

    @property
    def is_voter_meeting(self) -> bool:
        return self.meeting_type == self.MeetingType.VOTER_MEETING

    @property
    def is_held(self) -> bool:
        return self.status in self.HELD_STATUSES

    @property
    def is_open_for_entry(self) -> bool:
        """Opinions can be entered before (gathered by the Front) and after it is held, until
        it is closed or cancelled."""
        return self.status in (self.Status.PLANNED, self.Status.HELD, self.Status.CONCLUDED)

    @property
    def local_date(self):
        return timezone.localtime(self.starts_at).date()

    def notice_days_short(self, today) -> int:
        """How many days short of the advance notice its basis asks a planned conference is
        (0 when told in time): the people are told of it beforehand (Law on Local Government
        2025; the number of days is the basis' data)."""
        days_ahead = (self.local_date - today).days
        if self.status != self.Status.PLANNED or days_ahead < 0:
            return 0  # held, cancelled, or a past one entered afterwards
        return max(0, self.basis.advance_notice_days - days_ahead)


class ConferenceChair(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="chairs")
    full_name = models.CharField(_("họ và tên"), max_length=150)
    title = models.CharField(_("chức vụ"), max_length=255)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("chủ trì")
        verbose_name_plural = _("chủ trì")

    def __str__(self) -> str:
        return f"{self.full_name} – {self.title}"


def attachment_path(instance: ConferenceAttachment, filename: str) -> str:
    return f"conferences/{instance.conference_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class ConferenceAttachment(BaseModel):
    class Kind(models.TextChoices):
        MINUTES_SCAN = "minutes", _("Bản scan biên bản")
        PHOTO = "photo", _("Ảnh hội nghị")
        REPORT = "report", _("Báo cáo")
        OTHER = "other", _("Khác")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("tệp"), upload_to=attachment_path, validators=[validate_upload], max_length=255)
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(editable=False, default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.description or self.file.name.rsplit("/", 1)[-1]

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
