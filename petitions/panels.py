"""The opinions on a conference's page (registered with dialogue.panels)."""

from itertools import groupby

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import OrgUnit, Role
from accounts.panels import home_panels
from dialogue.models import Conference
from dialogue.panels import conference_panels
from petitions.models import CitizenVerdict, Petition

REPORT_BACK_LIMIT = 30
Outcome = Petition.Outcome


@conference_panels.register(order=10)
def opinions_panel(request: HttpRequest, conference: Conference) -> str:
    """What was raised, grouped by subject; what was answered on the spot; what is open."""
    petitions = list(
        conference.petitions.select_related("category", "duplicate_of")
        .annotate(repeat_count=Count("repeats"))
        .order_by("category__position", "category__name", "position")
    )
    stats = conference.petitions.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(outcome=Outcome.ANSWERED)),
        open=Count("pk", filter=Petition.open_condition()),
        transferred=Count("pk", filter=Q(outcome=Outcome.TRANSFERRED)),
        duplicates=Count("pk", filter=Q(outcome=Outcome.DUPLICATE)),
        rejected=Count("pk", filter=Q(outcome=Outcome.REJECTED)),
        after_notice=Count("pk", filter=Q(after_notice=True)),
    )
    groups = [
        (category, list(rows))
        for category, rows in groupby(petitions, key=lambda petition: petition.category)
    ]
    return render_to_string(
        "petitions/panels/opinions.html",
        {
            "conference": conference,
            "groups": groups,
            "stats": stats,
            "can_enter": request.user.has_role(Role.CLERK, Role.LEADER) and conference.is_open_for_entry,
        },
        request=request,
    )


@conference_panels.register(order=20)
def report_back_panel(request: HttpRequest, conference: Conference) -> str:
    """Before a new conference, leaders report first on what earlier ones left open: the
    unresolved opinions of the same area (and of the areas it succeeded after a reform)."""
    if conference.status not in (Conference.Status.PLANNED, Conference.Status.HELD):
        return ""
    areas = [
        conference.host_area_id,
        *OrgUnit.objects.filter(successor=conference.host_area_id).values_list("pk", flat=True),
    ]
    earlier = (
        Petition.objects.open()
        .filter(area__in=areas, conference__starts_at__lt=conference.starts_at)
        .select_related("category", "conference")
        .order_by("received_on", "pk")
    )
    rows = list(earlier[: REPORT_BACK_LIMIT + 1])
    answered = _answered_since_last_conference(conference, areas)
    return render_to_string(
        "petitions/panels/report_back.html",
        {
            "conference": conference,
            "rows": rows[:REPORT_BACK_LIMIT],
            "more": len(rows) > REPORT_BACK_LIMIT,
            "answered": answered[:REPORT_BACK_LIMIT],
            "more_answered": len(answered) > REPORT_BACK_LIMIT,
        },
        request=request,
    )


def _answered_since_last_conference(conference: Conference, areas: list[int]) -> list[Petition]:
    """The chair reports back to the people: the opinions of the area resolved since its last
    conference (before this one), with what each citizen said of the answer (issue 17)."""
    last = (
        Conference.objects.filter(host_area__in=areas, starts_at__lt=conference.starts_at)
        .exclude(status=Conference.Status.CANCELLED)
        .exclude(pk=conference.pk)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    resolved = Petition.objects.filter(area__in=areas, resolved_on__isnull=False).exclude(
        conference=conference.pk
    )
    if last is not None:
        resolved = resolved.filter(resolved_on__gte=timezone.localdate(last))
    verdicts = CitizenVerdict.objects.order_by("-created_at")
    return list(
        resolved.select_related("category")
        .prefetch_related(Prefetch("verdicts", queryset=verdicts, to_attr="verdict_list"))
        .order_by("-resolved_on", "pk")[: REPORT_BACK_LIMIT + 1]
    )


@home_panels.register(order=20, slot="clerk")
@home_panels.register(order=20, slot="leader")
def undecided_opinions(request: HttpRequest, _obj) -> str:
    """Opinions whose outcome nobody has decided yet: the clerk's to-do after a meeting."""
    pending = Petition.objects.visible_to(request.user).filter(outcome=Outcome.PENDING)
    count = pending.count()
    if not count:
        return ""
    return render_to_string("petitions/home_pending.html", {"count": count}, request=request)
