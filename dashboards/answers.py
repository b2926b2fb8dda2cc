"""The Fatherland Front's view of the loop with the citizen (issue 17): per agency and per
ward, how many answers became official, how many the citizens confirmed, the reopenings and
how the leaders decided them. Aggregated in SQL (one query per table); every number links to
the list of the opinions it counts (dashboards.answer_views.answer_list, same conditions)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q

from conclusions.models import Assignment
from dashboards.links import Figure, list_url
from petitions.models import CitizenVerdict, Petition, Reopening

Verdict = CitizenVerdict.Verdict
NUMBERS = ("answered", "resolved", "not_resolved", "no_opinion", "pending", "reassigned", "kept")
BY_AGENCY_ROWS = 100
BY_AREA_ROWS = 100


def _counts(prefix: str) -> dict:
    """The aggregate of each number over the opinions reached through `prefix`."""
    verdicts, reopenings = f"{prefix}verdicts", f"{prefix}reopenings"
    return {
        "answered": Count(prefix + "pk" if prefix else "pk", distinct=True),
        **{
            value: Count(f"{verdicts}__pk", filter=Q(**{f"{verdicts}__verdict": value}), distinct=True)
            for value in Verdict.values
        },
        **{
            value: Count(f"{reopenings}__pk", filter=Q(**{f"{reopenings}__status": value}), distinct=True)
            for value in Reopening.Status.values
        },
    }


def answered_opinions(user):
    """Opinions in the user's scope that an accepted assignment has answered."""
    accepted = Assignment.objects.filter(petitions=OuterRef("pk"), status=Assignment.Status.ACCEPTED)
    return Petition.objects.visible_to(user).filter(Exists(accepted))


def by_agency(user) -> list[dict]:
    """Per lead agency of accepted work: the opinions it answered and what citizens said."""
    accepted = Assignment.objects.visible_to(user).filter(
        status=Assignment.Status.ACCEPTED, petitions__isnull=False
    )
    rows = (
        accepted.order_by()
        .values("lead_agency", "lead_agency__name")
        .annotate(**_counts("petitions__"))
        .order_by("-answered", "lead_agency__name")[:BY_AGENCY_ROWS]
    )
    return [_with_links(row, {"agency": row["lead_agency"]}, row["lead_agency__name"]) for row in rows]


def by_area(user) -> list[dict]:
    rows = (
        answered_opinions(user)
        .order_by()
        .values("area", "area__name")
        .annotate(**_counts(""))
        .order_by("-answered", "area__name")[:BY_AREA_ROWS]
    )
    return [_with_links(row, {"area": row["area"]}, row["area__name"]) for row in rows]


def _with_links(row: dict, params: dict, name: str) -> dict:
    figures = {"name": name}
    for number in NUMBERS:
        if number == "answered":
            extra = {}
        elif number in Verdict.values:
            extra = {"verdict": number}
        else:
            extra = {"reopening": number}
        figures[number] = Figure(row[number], list_url("dashboards:answers", {**params, **extra}))
    judged = row["resolved"] + row["not_resolved"]
    figures["confirmed_share"] = round(100 * row["resolved"] / judged) if judged else None
    # In the table's column order.
    figures["verdict_cells"] = [
        figures[name] for name in ("answered", "resolved", "not_resolved", "no_opinion")
    ]
    figures["reopening_cells"] = [figures[name] for name in ("pending", "reassigned", "kept")]
    return figures


def filtered_opinions(user, *, agency=None, area=None, verdict="", reopening=""):
    """The opinions a number counts: the same conditions as the aggregates above."""
    opinions = answered_opinions(user)
    if agency:
        opinions = opinions.filter(
            Exists(
                Assignment.objects.filter(
                    petitions=OuterRef("pk"), status=Assignment.Status.ACCEPTED, lead_agency=agency
                )
            )
        )
    if area:
        opinions = opinions.filter(area=area)
    if verdict:
        opinions = opinions.filter(
            Exists(CitizenVerdict.objects.filter(petition=OuterRef("pk"), verdict=verdict))
        )
    if reopening:
        opinions = opinions.filter(
            Exists(Reopening.objects.filter(petition=OuterRef("pk"), status=reopening))
        )
    return opinions
