"""Workflows of the boards: the leader's "nhắc ngay" to an agency, and supervision remarks."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, Role, User
from accounts.services import notifications_send
from conclusions.models import Assignment
from conclusions.reminders import Digest, DigestItem, Mailer
from dashboards import policies
from dashboards.models import AgencyReminder, IssuedReport, SupervisionRemark
from dialogue.models import Conference
from registers.documents import file_name_of, issued_document_open, issued_document_store
from registers.models import DocumentType, IssuedDocument
from registers.services import register_take

logger = logging.getLogger(__name__)

REMIND_INTERVAL = timedelta(hours=1)
REMINDED_RECENTLY = _(
    "%(agency)s đã được nhắc lúc %(time)s. Mỗi cơ quan chỉ được nhắc ngay một lần trong một giờ; "
    "hãy thử lại sau %(next)s."
)
NOTHING_OVERDUE = _("%(agency)s không có việc quá hạn nào để nhắc.")
NO_RECIPIENTS = _("%(agency)s chưa có cán bộ được giao xử lý hay người chịu trách nhiệm nào để nhắc.")
ONLY_LEADERS_AND_CLERKS = _("Chỉ lãnh đạo và cán bộ văn phòng mới nhắc ngay được.")
ONLY_MONITORS = _("Chỉ cán bộ giám sát (MTTQ) mới ghi ý kiến giám sát.")
REMARK_EMPTY = _("Hãy ghi nội dung ý kiến giám sát.")
ANSWER_EMPTY = _("Hãy ghi nội dung trả lời.")
NOT_THE_AREA = _("Chỉ lãnh đạo, cán bộ văn phòng của địa bàn mới trả lời ý kiến giám sát này.")
ALREADY_ANSWERED = _("Ý kiến giám sát này đã được trả lời.")


# --- nhắc ngay ------------------------------------------------------------------------------


def overdue_list_url(agency: OrgUnit) -> str:
    return (
        reverse("conclusions:assignments")
        + "?"
        + urlencode({"mine": 0, "show": "overdue", "agency": agency.pk})
    )


def agency_remind_now(*, agency: OrgUnit, by: User, today: date | None = None) -> AgencyReminder:
    """Send the agency's handlers and the responsible persons of its overdue items one in-app
    notification and one email digest each, now. Refused when the agency was reminded less
    than an hour ago (by anyone): the agency's row is locked while deciding, so two clicks at
    the same moment send once. Mail goes after the commit; a failed mail is logged."""
    today = today or timezone.localdate()
    reminder, digests = _claim_and_notify(agency=agency, by=by, today=today)
    transaction.on_commit(lambda: _send_digests(reminder, digests, today), robust=True)
    return reminder


@transaction.atomic
def _claim_and_notify(*, agency: OrgUnit, by: User, today: date) -> tuple[AgencyReminder, dict]:
    if not by.has_role(Role.LEADER, Role.CLERK):
        raise ValidationError(ONLY_LEADERS_AND_CLERKS, code="role")
    OrgUnit.objects.select_for_update().filter(pk=agency.pk).first()
    last = AgencyReminder.objects.filter(agency=agency, sent_at__gt=timezone.now() - REMIND_INTERVAL).first()
    if last is not None:
        when = timezone.localtime(last.sent_at)
        raise ValidationError(
            REMINDED_RECENTLY,
            code="recent",
            params={
                "agency": agency.name,
                "time": f"{when:%H:%M}",
                "next": f"{timezone.localtime(last.sent_at + REMIND_INTERVAL):%H:%M}",
            },
        )
    items = list(
        Assignment.objects.visible_to(by)
        .overdue(today)
        .filter(lead_agency=agency)
        .order_by("deadline", "pk")
        .values("pk", "task", "deadline", "responsible_person_id", "notice__number_label")
    )
    if not items:
        raise ValidationError(NOTHING_OVERDUE, code="nothing", params={"agency": agency.name})
    digests = _digests_by_recipient(agency, items, today)
    if not digests:
        raise ValidationError(NO_RECIPIENTS, code="nobody", params={"agency": agency.name})
    reminder = AgencyReminder.objects.create(
        agency=agency, sent_by=by, item_count=len(items), recipient_count=len(digests)
    )
    for user, digest in digests.values():
        notifications_send(
            recipients=[user],
            text=f"Nhắc ngay từ {by}: {digest.total} việc quá hạn của {agency.name}",
            url=overdue_list_url(agency),
        )
    return reminder, digests


def _digests_by_recipient(agency: OrgUnit, items: list[dict], today: date) -> dict[int, tuple[User, Digest]]:
    """Handlers of the agency get all its overdue items; a responsible person who is not one
    of them gets the items they answer for."""
    handlers = list(User.objects.filter(User.role_filter(Role.HANDLER), agency=agency, is_active=True))
    responsible_ids = {item["responsible_person_id"] for item in items} - {None} - {u.pk for u in handlers}
    responsible = {user.pk: user for user in User.objects.filter(pk__in=responsible_ids, is_active=True)}
    digests: dict[int, tuple[User, Digest]] = {}
    for item in items:
        line = _digest_item(item, agency, today)
        readers = handlers + (
            [responsible[item["responsible_person_id"]]]
            if item["responsible_person_id"] in responsible
            else []
        )
        for user in readers:
            digests.setdefault(user.pk, (user, Digest()))[1].add(line)
    return digests


def _digest_item(item: dict, agency: OrgUnit, today: date) -> DigestItem:
    days = (today - item["deadline"]).days
    source = item["notice__number_label"] or "đơn thư"
    detail = f"{source} · chủ trì: {agency.name} · hạn {item['deadline']:%d/%m/%Y}, quá hạn {days} ngày"
    task = " ".join(item["task"].split())
    return DigestItem("overdue", task[:200], detail, reverse("conclusions:assignment", args=[item["pk"]]))


def _send_digests(reminder: AgencyReminder, digests: dict, today: date) -> None:
    mailer, sent = Mailer(), 0
    try:
        for user, digest in digests.values():
            if user.email and not mailer.send(digest.message(user, today)):
                sent += 1
    finally:
        mailer.close()
    AgencyReminder.objects.filter(pk=reminder.pk).update(emails_sent=sent)
    reminder.emails_sent = sent


# --- supervision remarks -----------------------------------------------------------------


def _answerers(area: OrgUnit) -> list[User]:
    return list(
        User.objects.filter(agency__area=area, is_active=True).filter(
            User.role_filter(Role.LEADER) | User.role_filter(Role.CLERK)
        )
    )


def remark_page_url(remark: SupervisionRemark) -> str:
    if remark.conference_id:
        return reverse("dialogue:detail", args=[remark.conference_id]) + "#giam-sat"
    return reverse("dashboards:assignment_remarks", args=[remark.assignment_id])


@transaction.atomic
def remark_create(
    *, by: User, text: str, conference: Conference | None = None, assignment: Assignment | None = None
) -> SupervisionRemark:
    if not by.has_role(Role.MONITOR):
        raise ValidationError(ONLY_MONITORS, code="role")
    if not text.strip():
        raise ValidationError({"text": REMARK_EMPTY})
    area = conference.host_area if conference is not None else assignment.lead_agency.area
    remark = SupervisionRemark(
        area=area, conference=conference, assignment=assignment, author=by, text=text.strip()
    )
    remark._history_user = by
    remark.save()
    subject = conference.title if conference is not None else assignment.task
    notifications_send(
        recipients=_answerers(area),
        text=f"Ý kiến giám sát của {by} về “{subject[:120]}”: {remark.text[:200]}",
        url=remark_page_url(remark),
    )
    return remark


@transaction.atomic
def remark_answer(*, remark: SupervisionRemark, by: User, answer: str) -> SupervisionRemark:
    remark = (
        SupervisionRemark.objects.select_for_update(of=("self",)).select_related("area").get(pk=remark.pk)
    )
    if not policies.can_answer(by, remark):
        raise ValidationError(NOT_THE_AREA, code="role")
    if remark.is_answered:
        raise ValidationError(ALREADY_ANSWERED, code="answered")
    if not answer.strip():
        raise ValidationError({"answer": ANSWER_EMPTY})
    remark.answer, remark.answered_by, remark.answered_at = answer.strip(), by, timezone.now()
    remark._history_user = by
    remark.save(update_fields=["answer", "answered_by", "answered_at", "updated_at"])
    notifications_send(
        recipients=[remark.author],
        text=f"{by} đã trả lời ý kiến giám sát của bạn: {remark.answer[:200]}",
        url=remark_page_url(remark),
    )
    return remark


def remarks_waiting(user: User):
    """Remarks in the user's scope still waiting for an answer, oldest first."""
    return (
        SupervisionRemark.objects.visible_to(user)
        .waiting()
        .select_related("area", "author")
        .order_by("created_at", "pk")
    )


# --- issuing the periodic report (issue 18) ---------------------------------------------------

REPORT_SUMMARY = "Báo cáo kết quả đối thoại và giải quyết ý kiến, kiến nghị từ {start} đến {end}"
NO_ISSUER = _("Địa bàn này chưa có Ủy ban nhân dân để ban hành báo cáo.")


@transaction.atomic
def report_issue(
    *,
    by: User,
    area: OrgUnit,
    start: date,
    end: date,
    signer_title: str,
    signer_name: str,
    remaining_problems: str = "",
    proposals: str = "",
    recipients: list[str] | None = None,
) -> IssuedReport:
    """Issue the periodic report as an official document of the area's People's Committee:
    its BC number from the body's register in this transaction, then its PDF (the figures as
    they stand at issue) rendered, signed and stored by a worker after the commit."""
    from dashboards.reports import peoples_committee_of

    issuer = peoples_committee_of(area)
    if issuer is None:
        raise ValidationError(NO_ISSUER)
    report = IssuedReport(
        area=area,
        issuer=issuer,
        period_start=start,
        period_end=end,
        remaining_problems=remaining_problems.strip(),
        proposals=proposals.strip(),
        recipients="\n".join(recipients or []),
        signer_title=signer_title.strip(),
        signer_name=signer_name.strip(),
        issued_by=by,
    )
    report._history_user = by
    report.save()
    report.register_entry = register_take(
        body=issuer,
        doc_type=DocumentType.REPORT,
        on=timezone.localdate(),
        summary=REPORT_SUMMARY.format(start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}"),
        document=report,
        by=by,
    )
    report.save(update_fields=["register_entry", "updated_at"])
    issued_document_open(entry=report.register_entry)
    transaction.on_commit(partial(queue_report_pdf, report.pk))
    return report


def queue_report_pdf(report_id: int) -> bool:
    """Queue the report's PDF; a broker that is down leaves it pending for the sweep."""
    from dashboards.tasks import issued_report_render_pdf

    try:
        issued_report_render_pdf.apply_async(args=[report_id], retry=False)
    except Exception:
        logger.warning("PDF of report %s not queued; left pending", report_id, exc_info=True)
        return False
    return True


def issued_report_document(report: IssuedReport) -> IssuedDocument | None:
    if report.register_entry_id is None:
        return None
    return IssuedDocument.objects.filter(entry_id=report.register_entry_id).first()


def issued_report_store(*, report: IssuedReport) -> IssuedDocument | None:
    """Compute the report as its issuer saw it (their scope, its period, on its issue date),
    lay it out with its number and QR code, sign and store it once (registers.documents)."""
    from dashboards.metrics import Period
    from dashboards.report_pdf import Signature, periodic_context, periodic_document
    from dashboards.reports import periodic_report

    issued = issued_report_document(report)
    if issued is None or issued.is_stored:
        return issued
    entry = issued.entry
    figures = periodic_report(
        user=report.issued_by,
        area=report.area,
        period=Period(report.period_start, report.period_end),
        today=entry.issued_on,
        remaining_problems=report.remaining_problems,
        proposals=report.proposals,
        recipients=report.recipient_lines,
    )
    context = periodic_context(
        figures,
        signature=Signature(title=report.signer_title, name=report.signer_name),
        number_label=entry.label,
        day=entry.issued_on,
    )
    return issued_document_store(
        document=issued,
        render=lambda verify: periodic_document({**context, **verify}),
        file_name=file_name_of(entry, "bao-cao"),
        reason=f"Ban hành Báo cáo số {entry.label}",
        location=report.area.place_name,
        signer=report.issued_by,
    )
