from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, Role
from accounts.scoping import ScopedQuerySet
from core.bounds import DOCUMENT_CHARS, MINUTES_CHARS, REMARK_CHARS, BoundedTextField, validate_sensible_date
from core.models import BaseModel, SearchableModel, SearchQuerySet, ValidityQuerySet
from dialogue.models import Conference
from petitions import ports

# No 0/O or 1/I: codes are read aloud over the phone and typed from paper receipts.
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 10  # 32^10 ≈ 10^15 codes: not guessable, and lookups are rate-limited


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


CONFIDENTIAL_PETITIONER = _("Người tố cáo (thông tin được bảo mật)")
ANONYMOUS_PETITIONER = _("Ẩn danh")


class Category(BaseModel):
    """Subject of an opinion; a list kept as data with the defaults of the 2200 practice."""

    name = models.CharField(_("tên"), max_length=255, unique=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


RULE_PERIODS_OVERLAP = _(
    "Đã có một quy định mã %(code)s áp dụng trong khoảng thời gian này: hãy ghi ngày kết thúc ở quy định cũ trước."
)


class StatutoryRule(BaseModel):
    """A deadline the law sets for handling a complaint or a denunciation, kept as data with
    the defaults of `petitions.deadlines.RULE_DEFAULTS`. The deadline a rule gives is stored
    on the petition (and its assignment) when the step happens: changing a rule later never
    moves a stored deadline.

    A code may have several versions, each in force from `valid_from` to `valid_to` (either
    open): the version in force on the date of the event (receipt for acceptance, acceptance
    for resolution) applies. When a law is amended, the admin ends the old version the day
    before and adds the new one with the same code."""

    class Step(models.TextChoices):
        ACCEPTANCE = "acceptance", _("Thụ lý")
        RESOLUTION = "resolution", _("Giải quyết")
        EXTENSION = "extension", _("Gia hạn giải quyết")

    code = models.SlugField(_("mã"), max_length=64)
    name = models.CharField(_("tên"), max_length=255)
    step = models.CharField(_("bước"), max_length=16, choices=Step.choices)
    days = models.PositiveSmallIntegerField(_("số ngày"))
    counts_working_days = models.BooleanField(
        _("tính theo ngày làm việc"),
        default=False,
        help_text=_(
            "Bỏ chọn: tính theo ngày lịch; hạn rơi vào ngày nghỉ thì lùi sang ngày làm việc kế tiếp."
        ),
    )
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    valid_from = models.DateField(
        _("áp dụng từ ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Để trống: áp dụng từ trước. So với ngày nhận đơn (thụ lý) hoặc ngày thụ lý (giải quyết)."
        ),
    )
    valid_to = models.DateField(
        _("áp dụng đến hết ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Khi luật sửa đổi (ví dụ Luật 136/2025/QH15 từ 01/07/2026): ghi ngày trước ngày hiệu lực "
            "ở quy định cũ, rồi thêm quy định mới cùng mã, áp dụng từ ngày hiệu lực. Hạn đã tính không đổi."
        ),
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["step", "code", "valid_from"]
        verbose_name = _("thời hạn theo luật")
        verbose_name_plural = _("thời hạn theo luật")
        constraints = [
            models.CheckConstraint(condition=Q(days__gt=0), name="statutory_rule_days_positive"),
            models.UniqueConstraint(
                fields=["code", "valid_from"], nulls_distinct=False, name="statutory_rule_one_version_a_day"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="statutory_rule_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Two versions of one code never overlap: a date has one rule in force."""
        if StatutoryRule.objects.overlapping(self, code=self.code).exists():
            raise ValidationError(RULE_PERIODS_OVERLAP, params={"code": self.code})

    @property
    def text(self) -> str:
        """As an office writes it, with the article: "30 ngày – Giải quyết khiếu nại lần đầu, kể
        từ ngày thụ lý (Luật Khiếu nại 2011, Điều 28)"."""
        unit = _("ngày làm việc") if self.counts_working_days else _("ngày")
        article = f" ({self.basis})" if self.basis else ""
        return f"{self.days} {unit} – {self.name}{article}"


class ReceptionQuerySet(ScopedQuerySet):
    scope_field = "area"


class ReceptionSession(BaseModel):
    """Buổi tiếp công dân: a leader receives citizens; what each raised becomes a petition
    (channel "reception") linked here. Names live on the petitions only, so a denouncer
    received here is protected like any other."""

    area = models.ForeignKey(
        OrgUnit, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="reception_sessions"
    )
    held_on = models.DateField(_("ngày tiếp"), validators=[validate_sensible_date])
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    receiving_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo tiếp"),
        on_delete=models.PROTECT,
        related_name="reception_sessions",
    )
    people_count = models.PositiveSmallIntegerField(_("số lượt công dân được tiếp"), default=0)
    notes = BoundedTextField(
        _("ghi chú"),
        max_length=REMARK_CHARS,
        blank=True,
        help_text=_("Không ghi họ tên người tố cáo: họ tên ghi trên từng đơn."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ReceptionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("buổi tiếp công dân")
        verbose_name_plural = _("buổi tiếp công dân")
        indexes = [models.Index(fields=["area", "-held_on"], name="reception_area_held")]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} – {self.area}"


class PetitionQuerySet(ScopedQuerySet, SearchQuerySet):
    scope_field = "area"
    region_field = "region"

    def open(self):
        """Still waiting for something to be done: no outcome yet, or to be handled here and
        not yet resolved by the assignments that answer it."""
        return self.filter(Petition.open_condition())

    def originals(self):
        return self.filter(duplicate_of__isnull=True)

    def written(self):
        """Received outside conferences: letters, citizen reception, online."""
        return self.filter(channel__in=Petition.WRITTEN_CHANNELS)

    def awaiting_acceptance(self):
        """Still to be accepted or declined: what the acceptance deadline chases."""
        return self.filter(
            acceptance_deadline__isnull=False, accepted_on__isnull=True, outcome=Petition.Outcome.PENDING
        )


class Petition(SearchableModel, BaseModel):
    """Anything a citizen or organisation asks of the authorities (ý kiến, kiến nghị...)."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "kien_nghi", _("Kiến nghị")
        REFLECTION = "phan_anh", _("Phản ánh")
        PROPOSAL = "de_xuat", _("Đề xuất")
        COMPLAINT = "khieu_nai", _("Khiếu nại")
        DENUNCIATION = "to_cao", _("Tố cáo")

    class Channel(models.TextChoices):
        AT_CONFERENCE = "at_conference", _("Phát biểu tại hội nghị")
        BEFORE_CONFERENCE = "before_conference", _("MTTQ tổng hợp trước hội nghị")
        LETTER = "letter", _("Đơn, thư")
        RECEPTION = "reception", _("Tiếp công dân")
        ONLINE = "online", _("Trực tuyến")

    class PetitionerType(models.TextChoices):
        PERSON = "person", _("Cá nhân")
        ORGANISATION = "organisation", _("Tổ chức")
        ANONYMOUS = "anonymous", _("Ẩn danh")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Chưa phân loại")
        ANSWERED = "answered", _("Đã trả lời tại hội nghị")
        IN_AUTHORITY = "in_authority", _("Giải quyết theo thẩm quyền")
        TRANSFERRED = "transferred", _("Chuyển cấp có thẩm quyền")
        DUPLICATE = "duplicate", _("Trùng ý kiến khác")
        REJECTED = "rejected", _("Không tiếp nhận")

    class Complexity(models.TextChoices):
        NORMAL = "normal", _("Thông thường")
        COMPLEX = "complex", _("Phức tạp")
        ESPECIALLY_COMPLEX = "especially_complex", _("Đặc biệt phức tạp")

    OPEN_OUTCOMES = (Outcome.PENDING, Outcome.IN_AUTHORITY)
    WRITTEN_CHANNELS = (Channel.LETTER, Channel.RECEPTION, Channel.ONLINE)

    area = models.ForeignKey(
        OrgUnit, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="petitions"
    )
    # The area's region (its province under the national unit), kept by triggers on
    # PostgreSQL (core.migration_ops.RegionColumn) for scoping by region (accounts.scoping).
    region = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    conference = models.ForeignKey(
        Conference,
        verbose_name=_("hội nghị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    position = models.PositiveIntegerField(_("số thứ tự"), default=0)
    # Typed in after the conference's conclusion notice was issued: the notice (fixed once
    # issued) does not cover it, so it needs its own handling (an assignment without a notice,
    # or an amending notice). Set once at entry (petitions_add_to_conference).
    # (A database default too: the bulk loaders' COPY names only the older columns.)
    after_notice = models.BooleanField(
        _("nhập sau khi đã ban hành thông báo"), default=False, db_default=False, editable=False
    )
    tracking_code = models.CharField(
        _("mã tra cứu"), max_length=11, unique=True, default=new_tracking_code, editable=False
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.RECOMMENDATION)
    channel = models.CharField(
        _("nguồn"), max_length=20, choices=Channel.choices, default=Channel.AT_CONFERENCE
    )
    received_on = models.DateField(_("ngày tiếp nhận"), validators=[validate_sensible_date])
    category = models.ForeignKey(Category, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT)
    content = BoundedTextField(_("nội dung"), max_length=DOCUMENT_CHARS)

    petitioner_type = models.CharField(
        _("người nêu"), max_length=16, choices=PetitionerType.choices, default=PetitionerType.PERSON
    )
    petitioner_name = models.CharField(_("họ tên / tên tổ chức"), max_length=255, blank=True)
    petitioner_address = models.CharField(_("tổ dân phố, địa chỉ"), max_length=255, blank=True)
    petitioner_phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    # The citizen's contact for messages about this opinion (petitions/contact.py): identity,
    # protected like the name and the phone.
    petitioner_email = models.EmailField(_("e-mail"), max_length=254, blank=True, default="", db_default="")
    message_consent = models.BooleanField(
        _("đồng ý nhận tin nhắn về ý kiến"),
        default=False,
        db_default=False,
        help_text=_(
            "Tin nhắn SMS, Zalo hoặc e-mail khi ý kiến được tiếp nhận, giao, gia hạn, trả lời, kết thúc."
        ),
    )

    answered_at_conference = models.BooleanField(_("đã trả lời tại hội nghị"), default=False)
    conference_answer = BoundedTextField(
        _("nội dung trả lời tại hội nghị"), max_length=DOCUMENT_CHARS, blank=True
    )
    answered_by = models.CharField(_("người trả lời"), max_length=255, blank=True)

    outcome = models.CharField(
        _("hướng xử lý"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_decided_on = models.DateField(
        _("ngày quyết định hướng xử lý"), null=True, blank=True, validators=[validate_sensible_date]
    )
    transferred_to = models.CharField(_("chuyển đến"), max_length=255, blank=True)
    transferred_on = models.DateField(
        _("ngày chuyển"), null=True, blank=True, validators=[validate_sensible_date]
    )
    # The transfer slip's number in the issuing body's outgoing register (sổ văn bản đi).
    transfer_entry = models.ForeignKey(
        "registers.RegisterEntry",
        verbose_name=_("số phiếu chuyển"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("trùng với"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    rejection_reason = BoundedTextField(_("lý do không tiếp nhận"), max_length=REMARK_CHARS, blank=True)
    # Set by the conclusions workflow when every assignment answering this opinion has been
    # accepted: the opinion's status follows from its assignments, nobody sets it by hand.
    resolved_on = models.DateField(_("ngày giải quyết xong"), null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    # --- written petitions and citizen reception (every column nullable or with a db_default:
    # the benchmark data is bulk-inserted by raw SQL that does not name them) ---------------
    reception = models.ForeignKey(
        ReceptionSession,
        verbose_name=_("buổi tiếp công dân"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    petitioner_id_number = models.CharField(
        _("số CCCD/định danh"), max_length=32, blank=True, default="", db_default=""
    )
    complexity = models.CharField(
        _("tính chất vụ việc"),
        max_length=20,
        choices=Complexity.choices,
        default=Complexity.NORMAL,
        db_default=Complexity.NORMAL,
    )
    complaint_round = models.PositiveSmallIntegerField(
        _("giải quyết lần"), default=1, db_default=1, help_text=_("Khiếu nại lần đầu (1) hay lần hai (2).")
    )
    # Luật Tố cáo 2018 Điều 24 khoản 1: 10 working days to accept instead of 7 when the
    # denunciation has to be checked in several places; chosen when the letter is logged.
    verified_in_several_places = models.BooleanField(
        _("phải kiểm tra, xác minh tại nhiều địa điểm"), default=False, db_default=False
    )
    acceptance_deadline = models.DateField(_("hạn thụ lý"), null=True, blank=True, editable=False)
    acceptance_basis = models.CharField(
        _("căn cứ hạn thụ lý"), max_length=255, blank=True, default="", db_default="", editable=False
    )
    accepted_on = models.DateField(_("ngày thụ lý"), null=True, blank=True, editable=False)
    resolution_deadline = models.DateField(_("hạn giải quyết"), null=True, blank=True, editable=False)
    resolution_basis = models.CharField(
        _("căn cứ hạn giải quyết"), max_length=255, blank=True, default="", db_default="", editable=False
    )
    final_answer = BoundedTextField(
        _("kết quả giải quyết"), max_length=MINUTES_CHARS, blank=True, default="", db_default=""
    )
    final_answer_on = models.DateField(
        _("ngày trả lời, quyết định"), null=True, blank=True, validators=[validate_sensible_date]
    )
    final_decision_ref = models.CharField(
        _("số văn bản trả lời, quyết định"), max_length=64, blank=True, default="", db_default=""
    )
    answer_is_public = models.BooleanField(
        _("công khai kết quả"),
        default=False,
        db_default=False,
        help_text=_("Hiện trên trang tra cứu công khai."),
    )

    objects = PetitionQuerySet.as_manager()
    # Searched through a word index on PostgreSQL (core.models.SearchQuerySet.search).
    search_word_index = True

    class Meta:
        ordering = ["conference_id", "position", "pk"]
        verbose_name = _("ý kiến, kiến nghị")
        verbose_name_plural = _("ý kiến, kiến nghị")
        indexes = [
            models.Index(fields=["conference", "position"], name="petition_conference_pos"),
            # The few opinions typed in after the notice, listed on the conference and notice pages.
            models.Index(fields=["conference"], condition=Q(after_notice=True), name="petition_after_notice"),
            models.Index(fields=["area", "-received_on"], name="petition_area_received"),
            models.Index(fields=["outcome", "-received_on"], name="petition_outcome_received"),
            models.Index(fields=["category", "-received_on"], name="petition_category_received"),
            models.Index(fields=["kind", "-received_on"], name="petition_kind_received"),
            models.Index(fields=["channel", "-received_on"], name="petition_channel_received"),
            models.Index(fields=["-received_on", "-id"], name="petition_received"),
            # A province's lists, newest first, walked in order (its scope is its region).
            models.Index(fields=["region", "-received_on", "-id"], name="petition_region_received"),
            # The dashboards' aggregates over a period read only this index (index-only scan).
            models.Index(
                fields=["received_on"],
                include=["id", "area", "outcome", "resolved_on", "category", "kind", "channel"],
                name="petition_dashboard_cover",
            ),
            # The statistics report counts the opinions of the period's meetings per meeting
            # (dashboards.reports.held_meetings): from this index alone, not 385,000 rows' heap.
            models.Index(
                fields=["conference"],
                include=["id", "outcome", "resolved_on", "region", "area"],
                condition=Q(conference__isnull=False),
                name="petition_conference_cover",
            ),
            # Possible duplicates are looked up by identity number or phone when entering.
            models.Index(
                fields=["petitioner_id_number"],
                name="petition_id_number",
                condition=~Q(petitioner_id_number=""),
            ),
            models.Index(
                fields=["petitioner_phone"], name="petition_phone", condition=~Q(petitioner_phone="")
            ),
            # What the reminder sweep chases: petitions still to be accepted, by deadline.
            models.Index(
                fields=["acceptance_deadline"],
                name="petition_acceptance_due",
                condition=Q(acceptance_deadline__isnull=False, accepted_on__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="rejected") | ~Q(rejection_reason=""),
                name="petition_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="duplicate") | Q(duplicate_of__isnull=False),
                name="petition_duplicate_has_original",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.position or self.pk} {self.content[:60]}"

    @property
    def is_pending(self) -> bool:
        """Awaiting the decision to accept it, decline, transfer or merge it."""
        return self.outcome == self.Outcome.PENDING and not self.accepted_on

    @property
    def is_written(self) -> bool:
        return self.channel in self.WRITTEN_CHANNELS

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", args=[self.pk])

    def search_source(self) -> list[str | None]:
        # A denouncer's identity must never be findable: it stays out of the search column.
        names = [] if self.is_confidential else [self.petitioner_name, self.petitioner_address]
        return [self.content, *names, self.conference.title if self.conference_id else ""]

    @property
    def is_confidential(self) -> bool:
        return self.kind == self.Kind.DENUNCIATION

    # Kinds whose answer text is published on the tracking page. A complaint's decision goes
    # to the complainant (Luật Khiếu nại 2011, Điều 32) and a denunciation's conclusion keeps
    # the denouncer's identity and case protected (Luật Tố cáo 2018, Điều 47): for those only
    # the outcome ("đã có kết quả giải quyết") is public.
    PUBLIC_ANSWER_KINDS = (Kind.RECOMMENDATION, Kind.REFLECTION, Kind.PROPOSAL)

    @property
    def answer_text_is_public(self) -> bool:
        return self.kind in self.PUBLIC_ANSWER_KINDS

    @classmethod
    def open_condition(cls) -> Q:
        return Q(outcome__in=cls.OPEN_OUTCOMES, resolved_on__isnull=True)

    @property
    def is_open(self) -> bool:
        return self.outcome in self.OPEN_OUTCOMES and self.resolved_on is None

    def petitioner_for(self, user) -> str:
        """The petitioner as this user may see them. A denouncer's identity is shown only to
        the clerks and leaders of the area who handle the case."""
        if self.petitioner_type == self.PetitionerType.ANONYMOUS:
            return str(ANONYMOUS_PETITIONER)
        if self.is_confidential and not self.identity_visible_to(user):
            return str(CONFIDENTIAL_PETITIONER)
        return ", ".join(part for part in (self.petitioner_name, self.petitioner_address) if part)

    def identity_visible_to(self, user) -> bool:
        """A denouncer is known to the clerks and leaders of the area handling the case (or of
        the area that succeeded it), not to every higher level that can read the petition.

        Luật Tố cáo 2018 keeps the denouncer's name, address, handwriting and other personal
        details secret (Điều 9 khoản 1 điểm b; Điều 47 khoản 2: "Người tố cáo được bảo vệ bí
        mật thông tin cá nhân"). The law names who handles a case, not a software role, so
        this asks `holds_role` (the office the person was given), never `has_role`: a
        superuser, who acts in every role elsewhere, sees a denouncer only if they are one of
        the people below (tests/test_denouncer_protection.py)."""
        if not self.is_confidential:
            return True
        if not (user and user.is_authenticated and user.is_active):
            return False
        # scope_paths holds the user's own area and the areas it succeeded; a higher-level
        # user's own area is above the petition's, so its path is not equal to it.
        if user.holds_role(Role.CLERK, Role.LEADER) and self.area.path in user.scope_paths:
            return True
        return self.handled_by(user)

    def handled_by(self, user) -> bool:
        """The person responsible for, or a handler of the lead agency of, an assignment that
        answers this petition: the people handling the case (asked through petitions.ports)."""
        if not (user and user.is_authenticated and user.is_active):
            return False
        return ports.follow_up().handled_by(self, user)

    @property
    def public_petitioner(self) -> str:
        """For lists, exports and the API: never a denouncer's identity."""
        if self.petitioner_type == self.PetitionerType.ANONYMOUS:
            return str(ANONYMOUS_PETITIONER)
        if self.is_confidential:
            return str(CONFIDENTIAL_PETITIONER)
        return ", ".join(part for part in (self.petitioner_name, self.petitioner_address) if part)


def attachment_path(instance: PetitionAttachment, filename: str) -> str:
    return f"petitions/{instance.petition_id}/{filename}"


class PetitionAttachment(BaseModel):
    """A scan of the letter or a document sent with it. A denunciation's letter names the
    denouncer, so its files are downloaded only by those who may see the identity."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp đính kèm"), upload_to=attachment_path, max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tệp đính kèm đơn")
        verbose_name_plural = _("tệp đính kèm đơn")

    def __str__(self) -> str:
        return self.filename

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class StatutoryExtension(BaseModel):
    """Gia hạn giải quyết tố cáo: decided in writing, with a reason, at most once for a
    complex case and twice for an especially complex one."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="statutory_extensions")
    sequence = models.PositiveSmallIntegerField(_("lần gia hạn"))
    decided_on = models.DateField(_("ngày quyết định"), validators=[validate_sensible_date])
    decision_ref = models.CharField(_("số quyết định gia hạn"), max_length=64)
    reason = BoundedTextField(_("lý do"), max_length=REMARK_CHARS)
    previous_deadline = models.DateField(_("hạn cũ"))
    new_deadline = models.DateField(_("hạn mới"), validators=[validate_sensible_date])
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The decision the app issued (its QĐ number in the body's register, its stored PDF:
    # registers.IssuedDocument); empty for a decision made outside the app, whose reference
    # is typed in `decision_ref`.
    decision_entry = models.OneToOneField(
        "registers.RegisterEntry",
        verbose_name=_("số quyết định trong sổ văn bản đi"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["petition", "sequence"]
        verbose_name = _("gia hạn giải quyết")
        verbose_name_plural = _("gia hạn giải quyết")
        constraints = [
            models.UniqueConstraint(fields=["petition", "sequence"], name="statutory_extension_once_each")
        ]

    def __str__(self) -> str:
        return f"{self.decision_ref} ({self.new_deadline:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("petitions:handle", args=[self.petition_id])


class IdentityDisclosure(models.Model):
    """Every display of a denouncer's identity: who saw it, when, which petition, where.
    Read by the top-level admins in the admin site; nobody edits it."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="identity_disclosures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    where = models.CharField(_("ở đâu"), max_length=255)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("lần xem danh tính người tố cáo")
        verbose_name_plural = _("nhật ký xem danh tính người tố cáo")
        indexes = [models.Index(fields=["petition", "-at"], name="disclosure_petition")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} – {self.user} – #{self.petition_id}"


# --- the citizen's verdict on the answer (issue 17) ----------------------------------------


class VerdictWindow(BaseModel):
    """How long after an opinion is answered its citizen may say whether the problem was
    solved, kept as data (versions in time, like the statutory rules). Without a row in force
    the default of VERDICT_WINDOW_DAYS applies; the admin edits it."""

    days = models.PositiveSmallIntegerField(_("số ngày được đánh giá"), default=30)
    valid_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến hết ngày"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("thời hạn người dân đánh giá kết quả")
        verbose_name_plural = _("thời hạn người dân đánh giá kết quả")
        constraints = [models.CheckConstraint(condition=Q(days__gt=0), name="verdict_window_days_positive")]

    def __str__(self) -> str:
        return _("%(days)s ngày") % {"days": self.days}


VERDICT_WINDOW_DAYS = 30  # FixMyStreet asks after four weeks; an admin changes it (VerdictWindow)


def verdict_window_days(on) -> int:
    window = VerdictWindow.objects.in_force_on(on).order_by("-valid_from").first()
    return window.days if window else VERDICT_WINDOW_DAYS


class CitizenVerdict(BaseModel):
    """What the citizen said of the official answer, through the tracking page (the tracking
    code is the key only they hold). One per answer: `answered_on` is the opinion's resolution
    day it judges, so an opinion answered again after a reopening can be judged again."""

    class Verdict(models.TextChoices):
        RESOLVED = "resolved", _("Đã được giải quyết")
        NOT_RESOLVED = "not_resolved", _("Chưa được giải quyết")
        NO_OPINION = "no_opinion", _("Không có ý kiến")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="verdicts")
    answered_on = models.DateField(_("ngày giải quyết được đánh giá"))
    verdict = models.CharField(_("đánh giá"), max_length=16, choices=Verdict.choices)
    comment = BoundedTextField(_("ý kiến thêm"), max_length=REMARK_CHARS, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("đánh giá của người dân")
        verbose_name_plural = _("đánh giá của người dân")
        constraints = [
            models.UniqueConstraint(fields=["petition", "answered_on"], name="verdict_once_per_answer")
        ]
        indexes = [models.Index(fields=["verdict", "-created_at"], name="verdict_kind_given")]

    def __str__(self) -> str:
        return f"#{self.petition_id} – {self.get_verdict_display()}"


class ReopeningQuerySet(ScopedQuerySet):
    scope_field = "petition__area"

    def pending(self):
        return self.filter(status=Reopening.Status.PENDING)


class Reopening(BaseModel):
    """A "not resolved" verdict reopens the opinion for review: the leader decides to give the
    work again (a new assignment) or to keep the answer with an explanation the citizen reads
    on the tracking page. While pending, the opinion is open again (resolved_on cleared and
    kept here to restore if the answer is kept)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ lãnh đạo xem xét")
        REASSIGNED = "reassigned", _("Giao giải quyết lại")
        KEPT = "kept", _("Giữ nguyên kết quả, có giải thích")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="reopenings")
    verdict = models.OneToOneField(CitizenVerdict, on_delete=models.PROTECT, related_name="reopening")
    # The day the verdict reopened it: reminders chase a reopening nobody reviews from here.
    opened_on = models.DateField(_("ngày mở lại"))
    previous_resolved_on = models.DateField(_("ngày giải quyết trước đó"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PENDING)
    explanation = BoundedTextField(_("giải thích cho người dân"), max_length=REMARK_CHARS, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)

    objects = ReopeningQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ý kiến mở lại")
        verbose_name_plural = _("ý kiến mở lại")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="kept") | ~Q(explanation=""), name="reopening_kept_explained"
            ),
            models.UniqueConstraint(
                fields=["petition"], condition=Q(status="pending"), name="reopening_one_pending"
            ),
        ]
        indexes = [
            models.Index(fields=["opened_on"], condition=Q(status="pending"), name="reopening_pending"),
            models.Index(fields=["status", "petition"], name="reopening_status_petition"),
        ]

    def __str__(self) -> str:
        return f"#{self.petition_id} – {self.get_status_display()}"
