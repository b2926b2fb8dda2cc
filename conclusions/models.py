from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.scoping import ScopedQuerySet
from core.models import BaseModel
from core.uploads import validate_upload
from dialogue.models import Conference
from petitions.models import Petition


class CommitteeTerm(BaseModel):
    """A Party committee's term (nhiệm kỳ). Party documents are numbered from 01 per document
    type per term, so issuing a Party notice needs the term that covers its date."""

    body = models.ForeignKey(
        OrgUnit, verbose_name=_("cấp ủy"), on_delete=models.PROTECT, related_name="terms"
    )
    name = models.CharField(_("nhiệm kỳ"), max_length=32, help_text=_("Ví dụ: 2020 – 2025"))
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))

    class Meta:
        ordering = ["body", "-starts_on"]
        verbose_name = _("nhiệm kỳ cấp ủy")
        verbose_name_plural = _("nhiệm kỳ cấp ủy")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="term_dates_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.body} – {self.name}"


class NumberCounter(models.Model):
    """The last number given in one numbering series: (issuing body, series). A State body's
    series is the calendar year ("2026"); a Party body's is the term and document type
    ("term-7/TB"). The row is locked (SELECT ... FOR UPDATE) by the transaction that issues,
    so numbers are never given twice and never skipped."""

    issuing_body = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=64)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuing_body", "series"], name="number_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issuing_body.symbol} {self.series}: {self.last_number}"


class NoticeQuerySet(ScopedQuerySet):
    scope_field = "area"

    def issued(self):
        return self.filter(status=ConclusionNotice.Status.ISSUED)


def notice_pdf_path(instance: ConclusionNotice, filename: str) -> str:
    return f"notices/{instance.issued_on or date.today():%Y}/{instance.pk}-{filename}"


class ConclusionNotice(BaseModel):
    """Thông báo kết luận: what the leaders concluded after a conference (or on their own),
    numbered at issue and never changed afterwards; a correction is a new notice that amends
    this one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")

    class SignMode(models.TextChoices):
        ON_BEHALF = "TM.", _("TM. (thay mặt tập thể)")
        DEPUTY = "KT.", _("KT. (ký thay người đứng đầu)")
        BY_ORDER = "TL.", _("TL. (thừa lệnh)")

    area = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", editable=False)
    conference = models.ForeignKey(
        Conference,
        verbose_name=_("hội nghị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    issuing_body = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="issued_notices"
    )
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    summary = models.CharField(_("trích yếu"), max_length=500)
    preamble = models.TextField(_("phần mở đầu"), blank=True)
    closing = models.TextField(_("phần kết"), blank=True)
    recipients = models.TextField(_("nơi nhận"), help_text=_("Mỗi nơi nhận một dòng."))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ký"), on_delete=models.PROTECT, related_name="+"
    )
    sign_mode = models.CharField(
        _("hình thức ký"), max_length=4, choices=SignMode.choices, default=SignMode.ON_BEHALF
    )
    signer_title = models.CharField(_("chức danh người ký"), max_length=100, help_text=_("Ví dụ: CHỦ TỊCH"))
    number = models.PositiveIntegerField(_("số"), null=True, blank=True, editable=False)
    number_label = models.CharField(_("số, ký hiệu"), max_length=64, blank=True, editable=False)
    number_series = models.CharField(max_length=64, blank=True, editable=False)  # see NumberCounter
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    amends = models.ForeignKey(
        "self",
        verbose_name=_("đính chính cho"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    pdf = models.FileField(
        _("tệp PDF"), upload_to=notice_pdf_path, blank=True, editable=False, max_length=255
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("thông báo kết luận")
        verbose_name_plural = _("thông báo kết luận")
        indexes = [
            models.Index(fields=["area", "status", "-issued_on"], name="notice_area_status"),
            models.Index(fields=["conference"], name="notice_conference"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "number_series", "number"],
                condition=Q(status="issued"),
                name="notice_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(number__isnull=False) & Q(issued_on__isnull=False)),
                name="notice_issued_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_label or _('Dự thảo')} – {self.summary[:80]}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def is_party(self) -> bool:
        return self.issuing_body.kind == OrgUnit.Kind.PARTY_COMMITTEE

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class NoticeItem(models.Model):
    """One numbered direction of the conclusion (seed 004 has four)."""

    notice = models.ForeignKey(ConclusionNotice, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("số thứ tự"))
    text = models.TextField(_("nội dung"))

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "position"], name="notice_item_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"


class AssignmentQuerySet(ScopedQuerySet):
    scope_field = "area"

    def open(self):
        return self.exclude(status=Assignment.Status.ACCEPTED).filter(
            notice__status=ConclusionNotice.Status.ISSUED
        )

    def overdue(self, today: date):
        return self.open().filter(deadline__lt=today)

    def for_agency(self, agency: OrgUnit):
        """The inbox of an agency: what it leads or helps with."""
        return self.filter(Q(lead_agency=agency) | Q(coordinating_agencies=agency)).distinct()


class Assignment(BaseModel):
    """A task given by a conclusion item to one lead agency, with a deadline stored when it is
    made together with the rule that produced it. Overdue is derived, never stored."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Đã giao")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        REPORTED_DONE = "reported_done", _("Báo cáo hoàn thành")
        ACCEPTED = "accepted", _("Đã nghiệm thu")
        RETURNED = "returned", _("Trả lại, làm tiếp")

    class DeadlineRule(models.TextChoices):
        FIXED_DATE = "date", _("Đến ngày cụ thể")
        CALENDAR_DAYS = "calendar_days", _("Số ngày kể từ ngày ban hành")
        WORKING_DAYS = "working_days", _("Số ngày làm việc kể từ ngày ban hành")

    area = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", editable=False)
    notice = models.ForeignKey(ConclusionNotice, on_delete=models.CASCADE, related_name="assignments")
    item = models.ForeignKey(
        NoticeItem, verbose_name=_("mục kết luận"), on_delete=models.CASCADE, related_name="assignments"
    )
    task = models.TextField(_("nội dung công việc"))
    lead_agency = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan chủ trì"), on_delete=models.PROTECT, related_name="led_assignments"
    )
    coordinating_agencies = models.ManyToManyField(
        OrgUnit, verbose_name=_("cơ quan phối hợp"), blank=True, related_name="coordinated_assignments"
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chịu trách nhiệm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_assignments",
    )
    petitions = models.ManyToManyField(
        Petition, verbose_name=_("ý kiến được giải quyết"), blank=True, related_name="assignments"
    )
    deadline_rule = models.CharField(_("cách tính hạn"), max_length=16, choices=DeadlineRule.choices)
    deadline_days = models.PositiveSmallIntegerField(_("số ngày"), null=True, blank=True)
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    deadline_from = models.DateField(_("tính từ ngày"), null=True, blank=True, editable=False)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.ASSIGNED)
    answer_to_citizen = models.TextField(_("văn bản trả lời người dân"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("việc được giao")
        verbose_name_plural = _("việc được giao")
        indexes = [
            models.Index(fields=["lead_agency", "status", "deadline"], name="assignment_agency_deadline"),
            models.Index(fields=["area", "status", "deadline"], name="assignment_area_deadline"),
            models.Index(fields=["status", "deadline"], name="assignment_status_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(deadline_rule="date") | Q(deadline__isnull=False),
                name="assignment_fixed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(deadline_rule="date") | Q(deadline_days__gt=0),
                name="assignment_relative_has_days",
            ),
        ]

    def __str__(self) -> str:
        return self.task[:80]

    def days_overdue(self, today: date) -> int:
        if self.deadline is None or self.status == self.Status.ACCEPTED or today <= self.deadline:
            return 0
        return (today - self.deadline).days

    @property
    def deadline_rule_text(self) -> str:
        """How the deadline was given, as it would be written: "10 ngày làm việc kể từ ngày ban hành"."""
        if self.deadline_rule == self.DeadlineRule.WORKING_DAYS:
            return _("%(days)s ngày làm việc kể từ ngày ban hành") % {"days": self.deadline_days}
        if self.deadline_rule == self.DeadlineRule.CALENDAR_DAYS:
            return _("%(days)s ngày kể từ ngày ban hành") % {"days": self.deadline_days}
        return str(self.DeadlineRule.FIXED_DATE.label)


def evidence_path(instance: ProgressUpdate, filename: str) -> str:
    return f"assignments/{instance.assignment_id}/{filename}"


class ProgressUpdate(BaseModel):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nội dung"))
    evidence = models.FileField(
        _("tệp kết quả"), upload_to=evidence_path, blank=True, validators=[validate_upload], max_length=255
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")

    def __str__(self) -> str:
        return self.text[:60]


class ExtensionRequest(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ quyết định")
        APPROVED = "approved", _("Đồng ý gia hạn")
        REJECTED = "rejected", _("Không đồng ý")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_deadline = models.DateField(_("đề nghị gia hạn đến"))
    reason = models.TextField(_("lý do"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    previous_deadline = models.DateField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_note = models.TextField(_("ý kiến của lãnh đạo"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} → {self.requested_deadline:%d/%m/%Y}"
