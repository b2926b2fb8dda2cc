"""The boards: the leader's overdue review, the monitor's supervision dashboard, supervision
remarks. Every number is computed in SQL (dashboards.metrics) and links to the list behind it
with the query parameters that give exactly that count (dashboards.links)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import OrgUnit, Role
from accounts.permissions import role_required, staff_required
from conclusions.filters import DUE_SOON_DAYS
from conclusions.models import Assignment, ExtensionRequest
from core.forms import flash_error
from dashboards import links, metrics, policies, services, summaries
from dashboards.forms import AnswerForm, RemarkForm, ReviewFilterForm, SupervisionForm
from dashboards.models import SupervisionRemark
from dialogue.models import Conference
from petitions.models import Reopening

REVIEW_ROLES = (Role.LEADER, Role.CLERK, Role.MONITOR)
REMINDERS = (Role.LEADER, Role.CLERK)
CONFERENCE_CHOICES = 100
EXTENSIONS_SHOWN = 20
REMARKS_SHOWN = 10
REVIEW_ROWS = 100


# --- the leader's overdue review ---------------------------------------------------------


def _review_filters(rows, data: dict):
    if data.get("category"):
        answers = Assignment.petitions.through.objects.filter(
            assignment=OuterRef("pk"), petition__category=data["category"]
        )
        rows = rows.filter(Exists(answers))
    if data.get("conference"):
        rows = rows.filter(notice__conference=data["conference"])
    if data.get("deadline_from"):
        rows = rows.filter(deadline__gte=data["deadline_from"])
    if data.get("deadline_to"):
        rows = rows.filter(deadline__lte=data["deadline_to"])
    return rows


def _conference_choices(user):
    """The most recent held conferences in scope (an indexed, bounded list)."""
    conferences = (
        Conference.objects.visible_to(user)
        .held()
        .order_by("-starts_at")
        .values_list("pk", "title", "starts_at")[:CONFERENCE_CHOICES]
    )
    return [(pk, f"{title} ({timezone.localtime(starts):%d/%m/%Y})") for pk, title, starts in conferences]


@role_required(*REVIEW_ROLES)
def overdue_review(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    form = ReviewFilterForm(request.GET or None, conferences=_conference_choices(user))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = _review_filters(metrics.review_rows(user, today), filters)
    if filters.get("agency"):
        rows = rows.filter(lead_agency=filters["agency"])
    list_filters = links.assignment_filters(filters)
    # The totals count every agency; the table shows the most overdue ones (a city has hundreds
    # of agencies, the whole country thousands: the rest are reached by the agency filter).
    shown, totals = metrics.review_summary(user, rows, today, limit=REVIEW_ROWS)
    form.fields["agency"].widget.choices = [
        ("", _("Mọi cơ quan")),
        *((group["lead_agency"], group["lead_agency__name"]) for group in shown),
    ]
    may_decide = user.has_role(Role.LEADER)
    extensions = (
        ExtensionRequest.objects.filter(
            assignment__in=Assignment.objects.visible_to(user), status=ExtensionRequest.Status.PENDING
        )
        .select_related("assignment__lead_agency", "requested_by")
        .order_by("created_at")
    )
    return render(
        request,
        "dashboards/overdue_review.html",
        {
            "form": form,
            "groups": [links.with_review_links(group, list_filters) for group in shown],
            "more_agencies": totals.pop("agencies") - len(shown),
            "totals": links.with_review_links({**totals, "lead_agency": None}, list_filters),
            "extensions": list(extensions[:EXTENSIONS_SHOWN]) if may_decide else [],
            # Opinions a citizen said were not resolved, waiting for the leader (issue 17).
            "reopenings": list(
                Reopening.objects.visible_to(user)
                .pending()
                .select_related("petition__area")
                .order_by("created_at", "pk")[:EXTENSIONS_SHOWN]
            ),
            "can_remind": user.has_role(*REMINDERS),
            "today": today,
            "due_soon_days": DUE_SOON_DAYS,
            "nav_active": "boards",
        },
    )


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@require_POST
@role_required(*REMINDERS)
def remind_now(request: HttpRequest, agency_pk: int) -> HttpResponse:
    """Only agencies that lead assignments the user can see may be reminded (404 otherwise)."""
    led = Assignment.objects.visible_to(request.user).filter(lead_agency=OuterRef("pk"))
    agency = get_object_or_404(OrgUnit.objects.filter(Exists(led)), pk=agency_pk)
    try:
        reminder = services.agency_remind_now(agency=agency, by=request.user)
    except ValidationError as error:
        flash_error(request, error, messages.WARNING)
    else:
        messages.success(
            request,
            _("Đã nhắc %(agency)s: %(items)d việc quá hạn, gửi tới %(people)d người.")
            % {"agency": agency.name, "items": reminder.item_count, "people": reminder.recipient_count},
        )
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/theo-doi/qua-han/") else "dashboards:overdue")


# --- the monitor's supervision dashboard -------------------------------------------------


def _chosen_area(request: HttpRequest, form: SupervisionForm) -> OrgUnit | None:
    """The area asked for (404 when out of scope), else the user's own area."""
    user = request.user
    pk = form.cleaned_data.get("area") if form.is_valid() else _int(request.GET.get("area"))
    if pk:
        return get_object_or_404(OrgUnit.objects.visible_to(user).areas(), pk=pk)
    area = user.area
    if area is not None and any(area.path.startswith(path) for path in user.scope_paths):
        return area
    return None


@staff_required
def supervision(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    form = SupervisionForm(request.GET or None, today=today)
    area = _chosen_area(request, form)
    if not form.is_valid():
        form = SupervisionForm(None, today=today, initial={"area": area.pk if area else None})
        form.is_valid()
    period, basis = form.period, form.basis
    link = links.SupervisionLinks(area=area, period=period, basis=basis)
    figures = supervision_figures(user, area, period, today, basis)
    conferences, opinions, breakdowns = figures["conferences"], figures["opinions"], figures["breakdowns"]
    trend = [link.month(row) for row in figures["trend"]]
    return render(
        request,
        "dashboards/supervision.html",
        {
            "form": form,
            "area": area,
            "period": period,
            "basis": basis,
            "conferences": link.conferences(conferences),
            "voter_meetings": link.voter_meetings(conferences),
            "required": figures["required"],
            "counted": link.counted(figures["counted"]),
            "opinions": link.opinions(opinions),
            "breakdowns": [
                (title, link.breakdown(field, breakdowns[field]))
                for field, title in (
                    ("category", _("Theo lĩnh vực")),
                    ("kind", _("Theo loại")),
                    ("channel", _("Theo nguồn")),
                )
            ],
            "assignments": link.assignments(figures["assignments"]),
            "by_agency": [link.agency_row(row) for row in figures["by_agency"]],
            "by_area": [link.area_row(row) for row in figures["by_area"]],
            "computed_at": figures["computed_at"],
            "figures_stale": figures.get("stale", False),
            "trend": trend,
            "chart": links.chart_data(trend),
            "remarks": list(services.remarks_waiting(user)[:REMARKS_SHOWN]),
            "today": today,
            "nav_active": "boards",
        },
    )


# The whole country's figures are summed from monthly summaries (dashboards/summaries.py);
# a province's, or the country's when the summaries are stale, aggregate millions of rows.
# Both are kept DASHBOARD_CACHE_SECONDS (settings), per scope, area, period and day, and the
# page says when they were computed. A ward's are always computed afresh (tens of ms).


def _regional_depth(area: OrgUnit) -> int:
    """OrgUnit.regional_depth, without its query for an area below any regional level."""
    return 1 if area.depth > 1 else OrgUnit.regional_depth()


def supervision_figures(user, area: OrgUnit | None, period: metrics.Period, today, basis: str) -> dict:
    def compute() -> dict:
        return summaries.supervision_figures(user, area, period, today, basis)

    seconds = settings.DASHBOARD_CACHE_SECONDS
    # Large: no area (the whole scope), or a regional area (province, city) or above.
    if not seconds or (area is not None and area.depth > 0 and area.depth > _regional_depth(area)):
        return compute()
    scope = "all" if user.is_superuser else "|".join(user.scope_paths)
    # v3: the figures depend on the view of the period's work; entries cached before are not read.
    key = (
        "supervision:v3:"
        + hashlib.sha256(
            f"{scope}/{area.pk if area else '-'}/{period.start}/{period.end}/{basis}/{today}".encode()
        ).hexdigest()
    )
    return cache.get_or_set(key, compute, seconds)


@role_required(Role.MONITOR)
def home_supervision(request: HttpRequest) -> HttpResponse:
    """The monitor's home summary (loaded by htmx): this year's opinions of their area."""
    user, today = request.user, timezone.localdate()
    if user.area is None:
        return HttpResponse("")
    period = metrics.Period.year_of(today)
    link = links.SupervisionLinks(area=user.area, period=period)
    return render(
        request,
        "dashboards/home_supervision.html",
        {
            "opinions": link.opinions(metrics.opinion_totals(user, user.area, period, today)),
            "area": user.area,
            "year": today.year,
        },
    )


# --- supervision remarks ----------------------------------------------------------------


@require_POST
@role_required(Role.MONITOR)
def conference_remark(request: HttpRequest, pk: int) -> HttpResponse:
    conference = get_object_or_404(
        Conference.objects.visible_to(request.user).select_related("host_area"), pk=pk
    )
    form = RemarkForm(request.POST)
    if form.is_valid():
        services.remark_create(by=request.user, text=form.cleaned_data["text"], conference=conference)
        messages.success(request, _("Đã gửi ý kiến giám sát tới lãnh đạo địa bàn."))
    else:
        messages.error(request, _("Hãy ghi nội dung ý kiến giám sát."))
    return redirect(reverse("dialogue:detail", args=[conference.pk]) + "#giam-sat")


@staff_required
def assignment_remarks(request: HttpRequest, pk: int) -> HttpResponse:
    """The remarks on one assignment: monitors write, the area's leaders and clerks answer."""
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("lead_agency__area", "notice"), pk=pk
    )
    user = request.user
    can_write = user.has_role(Role.MONITOR)
    form = RemarkForm(request.POST or None)
    if request.method == "POST":
        if not can_write:
            return HttpResponse(status=403)
        if form.is_valid():
            services.remark_create(by=user, text=form.cleaned_data["text"], assignment=assignment)
            messages.success(request, _("Đã gửi ý kiến giám sát tới lãnh đạo địa bàn."))
            return redirect("dashboards:assignment_remarks", pk=assignment.pk)
    remarks = list(assignment.supervision_remarks.select_related("author", "answered_by", "area"))
    return render(
        request,
        "dashboards/assignment_remarks.html",
        {
            "assignment": assignment,
            "remarks": [
                (remark, policies.can_answer(user, remark) and not remark.is_answered) for remark in remarks
            ],
            "form": form if can_write else None,
            "answer_form": AnswerForm(),
            "today": timezone.localdate(),
            "nav_active": "assignments",
        },
    )


@require_POST
@role_required(Role.LEADER, Role.CLERK)
def remark_answer(request: HttpRequest, pk: int) -> HttpResponse:
    remark = get_object_or_404(
        SupervisionRemark.objects.visible_to(request.user).select_related("area"), pk=pk
    )
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi nội dung trả lời."))
    else:
        try:
            services.remark_answer(remark=remark, by=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            flash_error(request, error)
        else:
            messages.success(request, _("Đã trả lời ý kiến giám sát."))
    return redirect(services.remark_page_url(remark))
