from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.scoping import ScopedQuerySet
from conclusions.models import Assignment
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
    text = models.TextField(_("ý kiến giám sát"))
    answer = models.TextField(_("trả lời"), blank=True)
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
