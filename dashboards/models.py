from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.scoping import ScopedQuerySet
from conclusions.models import Assignment
from core.bounds import DOCUMENT_CHARS, BoundedTextField
from core.models import BaseModel
from dialogue.models import Conference


class RemarkQuerySet(ScopedQuerySet):
    scope_field = "area"

    def waiting(self):
        return self.filter(answered_at__isnull=True)


class SupervisionRemark(BaseModel):
    """A Fatherland Front monitor's remark (ý kiến giám sát) on a conference or an assignment,
    answered by the leaders or clerks of the area. `area` is who answers: the conference's
    host area, or the area of the assignment's lead agency (whose leaders direct that agency)."""

    area = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", editable=False)
    conference = models.ForeignKey(
        Conference,
        verbose_name=_("hội nghị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supervision_remarks",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("việc được giao"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supervision_remarks",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người giám sát"), on_delete=models.PROTECT, related_name="+"
    )
    text = BoundedTextField(_("ý kiến giám sát"), max_length=DOCUMENT_CHARS)
    answer = BoundedTextField(_("trả lời"), max_length=DOCUMENT_CHARS, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)

    objects = RemarkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ý kiến giám sát")
        verbose_name_plural = _("ý kiến giám sát")
        indexes = [
            models.Index(fields=["area", "answered_at", "-created_at"], name="remark_area_waiting"),
            models.Index(fields=["conference", "-created_at"], name="remark_conference"),
            models.Index(fields=["assignment", "-created_at"], name="remark_assignment"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(conference__isnull=True) ^ Q(assignment__isnull=True),
                name="remark_on_one_subject",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def subject(self) -> Conference | Assignment:
        return self.conference if self.conference_id else self.assignment


class AgencyReminderQuerySet(ScopedQuerySet):
    scope_field = "agency"


class AgencyReminder(models.Model):
    """A "nhắc ngay" sent from the leader's overdue review to one agency: who, when, how many
    items. Also what refuses a second reminder to the same agency within the hour."""

    agency = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan được nhắc"), on_delete=models.PROTECT, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhắc"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    item_count = models.PositiveIntegerField(_("số việc quá hạn"))
    recipient_count = models.PositiveIntegerField(_("số người nhận"))
    emails_sent = models.PositiveIntegerField(_("số thư đã gửi"), default=0)

    objects = AgencyReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("lần nhắc ngay")
        verbose_name_plural = _("nhắc ngay cơ quan")
        indexes = [models.Index(fields=["agency", "-sent_at"], name="agency_reminder_recent")]

    def __str__(self) -> str:
        return f"{self.agency} – {self.sent_at:%d/%m/%Y %H:%M}"


class MonthFigures(models.Model):
    """One month of the supervision figures of one top-level area (province or city), kept
    ready so that the whole country's dashboard sums a few thousand small rows instead of
    reading two million opinions and a million assignments (dashboards/summaries.py, refreshed
    by Celery every DASHBOARD_SUMMARY_MINUTES; docs/DASHBOARDS.md).

    A row counts one subject: the dialogue conferences held in the month, the voter meetings
    held in it, the opinions received in it
    (a total row, and one row per category, kind and channel: `dimension`, `value`), or the
    open and accepted assignments whose deadline falls in it (or, subject `arising`, that arose
    in it: Assignment.arises_on), of the area's agencies; the
    same totals are also kept per day (`day`). The
    numbers that depend on the day (overdue, due soon) are as of `as_of`. Not history: every
    refresh replaces every row, so no simple-history here."""

    class Subject(models.TextChoices):
        CONFERENCES = "conferences", _("hội nghị")
        VOTER_MEETINGS = "voters", _("tiếp xúc cử tri")  # held and participants only
        OPINIONS = "opinions", _("ý kiến")
        ASSIGNMENTS = "assignments", _("việc được giao")
        # The same counts by the day the work arose (Assignment.arises_on), not by deadline.
        ARISING = "arising", _("việc phát sinh")

    class Dimension(models.TextChoices):
        TOTAL = "", _("tổng")
        CATEGORY = "category", _("lĩnh vực")
        KIND = "kind", _("loại")
        CHANNEL = "channel", _("nguồn")

    area = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # its first day
    # A month's rows have no day; a day's rows (totals only, no dimension) count that day
    # alone, for periods that begin or end within a month.
    day = models.DateField(null=True)
    subject = models.CharField(max_length=12, choices=Subject.choices)
    dimension = models.CharField(max_length=10, choices=Dimension.choices, blank=True, default="")
    value = models.CharField(max_length=40, blank=True, default="")  # category id, kind, channel
    # Conferences held in the month.
    held = models.PositiveIntegerField(default=0)
    scheduled = models.PositiveIntegerField(default=0)
    ad_hoc = models.PositiveIntegerField(default=0)
    participants = models.PositiveIntegerField(default=0)
    # Opinions received in the month (dashboards.metrics.opinion_conditions).
    received = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    transferred = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolved_received = models.PositiveIntegerField(default=0)  # resolved, not merged (the trend)
    resolved_by_assignments = models.PositiveIntegerField(default=0)
    resolved_late = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    # Assignments whose deadline is in the month, by the area of their lead agency: what the
    # ranking by area needs (dashboards.metrics.assignments_by_child_area).
    assignments_open = models.PositiveIntegerField(default=0)
    assignments_overdue = models.PositiveIntegerField(default=0)
    assignments_accepted = models.PositiveIntegerField(default=0)
    as_of = models.DateField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("số liệu tháng")
        verbose_name_plural = _("số liệu tháng")
        indexes = [
            models.Index(
                fields=["month", "subject", "dimension"],
                condition=Q(day__isnull=True),
                name="month_figures_month",
            ),
            models.Index(fields=["day", "subject"], name="month_figures_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "month", "day", "subject", "dimension", "value"],
                name="month_figures_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.month:%m/%Y} {self.subject} {self.dimension} {self.value}"


class AgencyMonthFigures(models.Model):
    """The open, overdue (as of the refresh's day) and accepted assignments of one lead agency
    that arose in one month (Assignment.arises_on), kept with the monthly summaries and
    replaced by the same refresh, so that the whole country's ranking by agency of a long
    period sums a row per agency and month (18 months: 73,073 rows, four times fewer than
    the assignments, read from the covering index alone) instead of counting every
    assignment of the period (dashboards/summaries.py). Only the months with work have a
    row."""

    agency = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # its first day
    open = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tháng của cơ quan")
        verbose_name_plural = _("số liệu tháng của cơ quan")
        indexes = [
            models.Index(
                fields=["month"], include=["agency", "open", "overdue", "accepted"], name="agency_month_cover"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%m/%Y}"


class MeetingFigures(models.Model):
    """The opinions raised at or gathered for one meeting (a dialogue or a voter meeting), as
    the statistics report counts them (dashboards.reports.held_meetings: received,
    acknowledged, resolved, whatever day they came in), kept with the monthly summaries and
    replaced by the same refresh, so that the report of the whole country sums a row per
    meeting instead of counting every opinion (a country's year: 12,607 meetings, 384,748
    opinions). Only meetings with opinions have a row; the refresh's time is MonthFigures'."""

    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    received = models.PositiveIntegerField(default=0)
    acknowledged = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu hội nghị")
        verbose_name_plural = _("số liệu hội nghị")

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.received}"


class IssuedReportQuerySet(ScopedQuerySet):
    scope_field = "area"


class IssuedReport(BaseModel):
    """A periodic report (báo cáo định kỳ) issued as an official document: what was asked (the
    area, the period, the texts typed, the signer) and the BC number its body's register gave
    (registers.RegisterEntry). Its PDF — the report's figures as they stood at issue — is
    rendered, signed and stored once by a worker (registers.IssuedDocument); this row never
    changes afterwards."""

    area = models.ForeignKey(OrgUnit, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    remaining_problems = BoundedTextField(_("tồn tại, hạn chế"), max_length=DOCUMENT_CHARS, blank=True)
    proposals = BoundedTextField(_("đề xuất, kiến nghị"), max_length=DOCUMENT_CHARS, blank=True)
    recipients = BoundedTextField(_("nơi nhận"), max_length=DOCUMENT_CHARS, blank=True)
    signer_title = models.CharField(_("chức danh người ký"), max_length=100)
    signer_name = models.CharField(_("họ tên người ký"), max_length=150)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    register_entry = models.OneToOneField(
        "registers.RegisterEntry",
        verbose_name=_("số báo cáo"),
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = IssuedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("báo cáo đã ban hành")
        verbose_name_plural = _("báo cáo đã ban hành")
        indexes = [models.Index(fields=["area", "-created_at"], name="issued_report_area")]

    def __str__(self) -> str:
        label = self.register_entry.label if self.register_entry_id else ""
        return f"{label} ({self.period_start:%d/%m/%Y} – {self.period_end:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("dashboards:issued_report", args=[self.pk])

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
