"""The list behind every number of the boards: the URL of the conference, petition or
assignment list with the query parameters that select exactly the rows the number counts
(the lists' filters use the same conditions as dashboards.metrics). A number is shown as a
`Figure(value, url)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from dashboards import metrics
from dashboards.metrics import AGING_BUCKETS, OPINION_NAMES, Period
from dialogue.models import Conference
from petitions.models import Petition

REVIEW_NUMBERS = ("overdue", "due_soon", *(name for name, _low, _high in AGING_BUCKETS))
ASSIGNMENT_NUMBERS = ("open", *REVIEW_NUMBERS)
RANKING_NUMBERS = ("open", "overdue", "accepted")


@dataclass(frozen=True)
class Figure:
    """A number and its list. `sums` names the column the number sums over that list's rows
    (participants); otherwise it counts them."""

    value: int
    url: str
    sums: str = ""

    def __str__(self) -> str:
        return str(self.value)


def list_url(name: str, params: dict) -> str:
    kept = {key: value for key, value in params.items() if value not in (None, "")}
    return reverse(name) + ("?" + urlencode(kept) if kept else "")


def _day(day: date | None) -> str | None:
    """dd/mm/yyyy, as the lists' date fields show it when the link opens them."""
    return f"{day:%d/%m/%Y}" if day else None


# --- the leader's overdue review ---------------------------------------------------------


def assignment_filters(filters: dict) -> dict:
    """The review's filters as the assignment list's query parameters."""
    category = filters.get("category")
    return {
        "mine": 0,
        "agency": filters.get("agency"),
        "category": category.pk if category else None,
        "conference": filters.get("conference"),
        "deadline_from": _day(filters.get("deadline_from")),
        "deadline_to": _day(filters.get("deadline_to")),
    }


def with_review_links(group: dict, list_filters: dict) -> dict:
    params = {**list_filters}
    if group.get("lead_agency"):  # a row of one agency; the totals keep the review's filters
        params["agency"] = group["lead_agency"]
    for name in REVIEW_NUMBERS:
        group[name] = Figure(group[name], list_url("conclusions:assignments", {**params, "show": name}))
    return group


# --- the supervision dashboard -------------------------------------------------------------


@dataclass(frozen=True)
class SupervisionLinks:
    area: OrgUnit | None
    period: Period
    basis: str = metrics.DUE  # which assignments of the period (metrics.ARISING or DUE)

    @property
    def _area(self) -> int | None:
        return self.area.pk if self.area else None

    def _conference_url(self, period: Period, **extra) -> str:
        params = {
            "host_area": self._area,
            "held": "true",
            "held_from": _day(period.start),
            "held_to": _day(period.end),
        }
        return list_url("dialogue:list", {**params, **extra})

    def _petition_url(self, period: Period, **extra) -> str:
        params = {"area": self._area, "received_from": _day(period.start), "received_to": _day(period.end)}
        return list_url("petitions:list", {**params, **extra})

    def _assignment_url(self, **extra) -> str:
        bounds = (
            ("arising_from", "arising_to")
            if self.basis == metrics.ARISING
            else ("deadline_from", "deadline_to")
        )
        params = {
            "mine": 0,
            "area": self._area,
            bounds[0]: _day(self.period.start),
            bounds[1]: _day(self.period.end),
        }
        return list_url("conclusions:assignments", {**params, **extra})

    def conferences(self, totals: dict) -> dict:
        """held, scheduled, ad_hoc → the held conferences (of that kind); participants → the
        held conferences whose participants it sums."""
        dialogue = Conference.MeetingType.DIALOGUE
        figures = {
            name: Figure(totals[name], self._conference_url(self.period, kind=kind, meeting_type=dialogue))
            for name, kind in (("held", None), ("scheduled", "scheduled"), ("ad_hoc", "ad_hoc"))
        }
        figures["participants"] = Figure(
            totals["participants"], figures["held"].url, sums="participant_count"
        )
        return figures

    def counted(self, value: int) -> Figure:
        """The held conferences the yearly requirement counts → the list of just those."""
        return Figure(value, self._conference_url(self.period, counted="true"))

    def voter_meetings(self, totals: dict) -> dict:
        """Voter meetings held → their list; participants → the same list, summed."""
        url = self._conference_url(self.period, meeting_type=Conference.MeetingType.VOTER_MEETING)
        return {
            "meetings": Figure(totals["voter_meetings"], url),
            "participants": Figure(totals["voter_participants"], url, sums="participant_count"),
        }

    def opinions(self, totals: dict) -> dict:
        return {
            name: Figure(totals[name], self._petition_url(self.period, state=name)) for name in OPINION_NAMES
        }

    def breakdown(self, field: str, rows: list[dict]) -> list[tuple[str, Figure]]:
        labels = dict(Petition._meta.get_field(field).flatchoices) if field != "category" else {}
        return [
            (
                row.get("label") or str(labels.get(row["value"], row["value"])),
                Figure(
                    row["count"], self._petition_url(self.period, state="received", **{field: row["value"]})
                ),
            )
            for row in rows
        ]

    def assignments(self, totals: dict) -> dict:
        figures = {name: Figure(totals[name], self._assignment_url(show=name)) for name in ASSIGNMENT_NUMBERS}
        figures["oldest_deadline"] = totals["oldest_deadline"]
        return figures

    def _ranking(self, row: dict, **params) -> dict:
        for name in RANKING_NUMBERS:
            row[name] = Figure(row[name], self._assignment_url(show=name, **params))
        return row

    def agency_row(self, row: dict) -> dict:
        return self._ranking(row, area=None, agency=row["lead_agency"])

    def area_row(self, row: dict) -> dict:
        if row["own"]:
            return self._ranking(row, area=None, agency_area=row["area"].pk)
        return self._ranking(row, area=row["area"].pk)

    def month(self, row: dict) -> dict:
        month = Period.month_of(row["month"])
        within = Period(max(month.start, self.period.start), min(month.end, self.period.end))
        row["held"] = Figure(
            row["held"], self._conference_url(within, meeting_type=Conference.MeetingType.DIALOGUE)
        )
        row["participants"] = Figure(row["participants"], row["held"].url, sums="participant_count")
        for name in ("received", "answered", "resolved"):
            row[name] = Figure(row[name], self._petition_url(within, state=name))
        return row


CHART_SERIES = (
    ("received", _("Ý kiến tiếp nhận")),
    ("resolved", _("Đã giải quyết")),
    ("held", _("Hội nghị")),
)


def chart_data(trend: list[dict]) -> dict:
    """What static/js/dashboards.js draws: the month labels and one named series per line."""
    return {
        "labels": [f"{row['month']:%m/%Y}" for row in trend],
        "series": [
            {"key": key, "name": str(name), "values": [row[key].value for row in trend]}
            for key, name in CHART_SERIES
        ],
    }
