from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, Role
from accounts.scoping import ScopedQuerySet
from core.models import BaseModel, SearchableModel, SearchQuerySet
from dialogue.models import Conference

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


class PetitionQuerySet(ScopedQuerySet, SearchQuerySet):
    scope_field = "area"

    def open(self):
        """Still waiting for something to be done: no outcome yet, or to be handled here and
        not yet resolved by the assignments that answer it."""
        return self.filter(Petition.open_condition())

    def originals(self):
        return self.filter(duplicate_of__isnull=True)


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

    OPEN_OUTCOMES = (Outcome.PENDING, Outcome.IN_AUTHORITY)

    area = models.ForeignKey(
        OrgUnit, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="petitions"
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
    tracking_code = models.CharField(
        _("mã tra cứu"), max_length=11, unique=True, default=new_tracking_code, editable=False
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.RECOMMENDATION)
    channel = models.CharField(
        _("nguồn"), max_length=20, choices=Channel.choices, default=Channel.AT_CONFERENCE
    )
    received_on = models.DateField(_("ngày tiếp nhận"))
    category = models.ForeignKey(Category, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT)
    content = models.TextField(_("nội dung"))

    petitioner_type = models.CharField(
        _("người nêu"), max_length=16, choices=PetitionerType.choices, default=PetitionerType.PERSON
    )
    petitioner_name = models.CharField(_("họ tên / tên tổ chức"), max_length=255, blank=True)
    petitioner_address = models.CharField(_("tổ dân phố, địa chỉ"), max_length=255, blank=True)
    petitioner_phone = models.CharField(_("điện thoại"), max_length=32, blank=True)

    answered_at_conference = models.BooleanField(_("đã trả lời tại hội nghị"), default=False)
    conference_answer = models.TextField(_("nội dung trả lời tại hội nghị"), blank=True)
    answered_by = models.CharField(_("người trả lời"), max_length=255, blank=True)

    outcome = models.CharField(
        _("hướng xử lý"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_decided_on = models.DateField(_("ngày quyết định hướng xử lý"), null=True, blank=True)
    transferred_to = models.CharField(_("chuyển đến"), max_length=255, blank=True)
    transferred_on = models.DateField(_("ngày chuyển"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("trùng với"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    rejection_reason = models.TextField(_("lý do không tiếp nhận"), blank=True)
    # Set by the conclusions workflow when every assignment answering this opinion has been
    # accepted: the opinion's status follows from its assignments, nobody sets it by hand.
    resolved_on = models.DateField(_("ngày giải quyết xong"), null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = PetitionQuerySet.as_manager()

    class Meta:
        ordering = ["conference_id", "position", "pk"]
        verbose_name = _("ý kiến, kiến nghị")
        verbose_name_plural = _("ý kiến, kiến nghị")
        indexes = [
            models.Index(fields=["conference", "position"], name="petition_conference_pos"),
            models.Index(fields=["area", "-received_on"], name="petition_area_received"),
            models.Index(fields=["outcome", "-received_on"], name="petition_outcome_received"),
            models.Index(fields=["category", "-received_on"], name="petition_category_received"),
            models.Index(fields=["kind", "-received_on"], name="petition_kind_received"),
            models.Index(fields=["channel", "-received_on"], name="petition_channel_received"),
            models.Index(fields=["-received_on", "-id"], name="petition_received"),
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

    def search_source(self) -> list[str | None]:
        # A denouncer's identity must never be findable: it stays out of the search column.
        names = [] if self.is_confidential else [self.petitioner_name, self.petitioner_address]
        return [self.content, *names, self.conference.title if self.conference_id else ""]

    @property
    def is_confidential(self) -> bool:
        return self.kind == self.Kind.DENUNCIATION

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
        the area that succeeded it), not to every higher level that can read the petition."""
        if not self.is_confidential:
            return True
        if not (user and user.is_authenticated and user.has_role(Role.CLERK, Role.LEADER)):
            return False
        # scope_paths holds the user's own area and the areas it succeeded; a higher-level
        # user's own area is above the petition's, so its path is not equal to it.
        return self.area.path in user.scope_paths

    @property
    def public_petitioner(self) -> str:
        """For lists, exports and the API: never a denouncer's identity."""
        if self.petitioner_type == self.PetitionerType.ANONYMOUS:
            return str(ANONYMOUS_PETITIONER)
        if self.is_confidential:
            return str(CONFIDENTIAL_PETITIONER)
        return ", ".join(part for part in (self.petitioner_name, self.petitioner_address) if part)
