"""What dashboards adds to pages owned by lower layers (see core.panels): the supervision
remarks on a conference's page, and the home page's summaries for leaders and monitors."""

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Role
from accounts.panels import home_panels
from dashboards import links, metrics, policies
from dashboards.forms import AnswerForm, RemarkForm
from dialogue.models import Conference
from dialogue.panels import conference_panels
from petitions import ports

HOME_AGENCIES = 3


@conference_panels.register(order=20)
def conference_remarks(request: HttpRequest, conference: Conference) -> str:
    user = request.user
    remarks = list(conference.supervision_remarks.select_related("author", "answered_by", "area"))
    can_write = user.has_role(Role.MONITOR)
    if not remarks and not can_write:
        return ""
    return render_to_string(
        "dashboards/panels/conference_remarks.html",
        {
            "conference": conference,
            "remarks": [
                (remark, policies.can_answer(user, remark) and not remark.is_answered) for remark in remarks
            ],
            "form": RemarkForm() if can_write else None,
            "answer_form": AnswerForm(),
        },
        request=request,
    )


@home_panels.register(order=1, slot="leader")
def overdue_summary(request: HttpRequest, _obj) -> str:
    """The review's first lines: the most overdue agencies, one GROUP BY."""
    today = timezone.localdate()
    rows = metrics.review_rows(request.user, today)
    groups = metrics.review_by_agency(rows, today, limit=HOME_AGENCIES)
    if not groups:
        return ""
    totals = metrics.review_totals(rows, today)
    overdue, due_soon = totals["overdue"], totals["due_soon"]
    shown = [links.with_review_links(group, {"mine": 0}) for group in groups[:HOME_AGENCIES]]
    # Rendered without the request: no form here, and the context processors (navigation,
    # notification count) would query again for a fragment that does not use them.
    return render_to_string(
        "dashboards/home_overdue.html",
        {"groups": shown, "overdue": overdue, "due_soon": due_soon, "agencies": len(groups)},
    )


@home_panels.register(order=1, slot="monitor")
def supervision_summary(request: HttpRequest, _obj) -> str:
    """A placeholder that htmx fills from `dashboards:home_supervision` once the page is shown:
    the year's figures of a city take longer to count than the home page should wait, and the
    home page keeps its small fixed number of queries."""
    if request.user.area is None:
        return ""
    return render_to_string("dashboards/home_supervision_placeholder.html")


@ports.list_actions.register(order=10)
def export_petitions(request: HttpRequest, _none: object) -> str:
    """The opinions' list, as filtered, to Excel (dashboards.exports). Rendered with what the
    form uses only: with `request=`, every context processor would run again for it (~1.5 ms
    of each view of the list)."""
    context = {"query": request.GET.urlencode(), "csrf_token": get_token(request)}
    return render_to_string("dashboards/panels/export_petitions.html", context)
