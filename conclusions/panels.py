"""What conclusions adds to pages owned by lower layers (see core.panels): the notices on a
conference's page, and the home page's sections for handlers, leaders and clerks."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Role
from accounts.panels import home_panels
from conclusions.models import Assignment, ConclusionNotice, ExtensionRequest
from dialogue.models import Conference
from dialogue.panels import conference_panels
from petitions.models import Reopening

HOME_LIMIT = 5


@conference_panels.register(order=5)
def notices_panel(request: HttpRequest, conference: Conference) -> str:
    notices = list(conference.notices.select_related("issuing_body").order_by("-issued_on", "-pk"))
    can_draft = request.user.has_role(Role.CLERK, Role.LEADER) and conference.is_held
    if not notices and not can_draft:
        return ""
    return render_to_string(
        "conclusions/panels/conference_notices.html",
        {"conference": conference, "notices": notices, "can_draft": can_draft},
        request=request,
    )


@home_panels.register(order=5, slot="handler")
def my_assignments(request: HttpRequest, _obj) -> str:
    user = request.user
    if not user.agency_id:
        return ""
    today = timezone.localdate()
    mine = (
        Assignment.objects.visible_to(user)
        .open()
        .of_user(user)
        .exclude(status=Assignment.Status.REPORTED_DONE)
        .order_by("deadline", "pk")
    )
    rows = [(assignment, assignment.days_overdue(today)) for assignment in mine[:HOME_LIMIT]]
    if not rows:
        return ""
    return render_to_string(
        "conclusions/home_assignments.html", {"rows": rows, "today": today}, request=request
    )


@home_panels.register(order=5, slot="leader")
def leader_queue(request: HttpRequest, _obj) -> str:
    user = request.user
    today = timezone.localdate()
    drafts = ConclusionNotice.objects.visible_to(user).filter(status=ConclusionNotice.Status.DRAFT).count()
    overdue = Assignment.objects.visible_to(user).overdue(today).count()
    extensions = ExtensionRequest.objects.filter(
        assignment__in=Assignment.objects.visible_to(user), status=ExtensionRequest.Status.PENDING
    ).count()
    if not (drafts or overdue or extensions):
        return ""
    return render_to_string(
        "conclusions/home_leader.html",
        {"drafts": drafts, "overdue": overdue, "extensions": extensions},
        request=request,
    )


@home_panels.register(order=5, slot="clerk")
def awaiting_acceptance(request: HttpRequest, _obj) -> str:
    reported = (
        Assignment.objects.visible_to(request.user).filter(status=Assignment.Status.REPORTED_DONE).count()
    )
    if not reported:
        return ""
    return render_to_string("conclusions/home_reported.html", {"count": reported}, request=request)


@home_panels.register(order=4, slot="clerk")
@home_panels.register(order=4, slot="leader")
def reopened_opinions(request: HttpRequest, _obj) -> str:
    """Opinions a citizen said were not resolved, waiting for the leader's decision."""
    pending = Reopening.objects.visible_to(request.user).pending()
    rows = list(pending.select_related("petition", "verdict").order_by("created_at", "pk")[: HOME_LIMIT + 1])
    if not rows:
        return ""
    return render_to_string(
        "conclusions/home_reopened.html",
        {"rows": rows[:HOME_LIMIT], "more": len(rows) > HOME_LIMIT, "count": pending.count()},
        request=request,
    )
