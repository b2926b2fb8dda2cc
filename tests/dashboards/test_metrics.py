"""dashboards.metrics beyond the pages: periods, prorated requirements, scope."""

from datetime import date

import pytest

from dashboards import metrics
from dashboards.metrics import Period
from dialogue.models import ConferenceRequirement
from tests.dashboards.boards_data import build
from tests.factories import ward_with_bodies

pytestmark = pytest.mark.django_db


def test_period_months_and_years():
    quarter = Period(date(2026, 11, 15), date(2027, 2, 10))
    assert quarter.months() == [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]
    assert Period.year_of(date(2026, 5, 3)).years == 1
    assert Period.month_of(date(2028, 2, 10)) == Period(date(2028, 2, 1), date(2028, 2, 29))


def test_required_conferences_are_prorated_over_the_areas(city):
    boards = build(city)
    for name in ("Một", "Hai"):
        ward_with_bodies(city, name)
    ConferenceRequirement.objects.update_or_create(area_kind="ward", defaults={"per_year": 1})
    ConferenceRequirement.objects.filter(area_kind="city").delete()
    admin = boards.users["city_monitor"]
    year = Period.year_of(date(2026, 1, 1))
    quarter = Period(date(2026, 1, 1), date(2026, 3, 31))  # 90 days: 4 wards × 90/365 = 0.99 → 1
    assert metrics.conferences_required(admin, boards.city, year) == 4
    assert metrics.conferences_required(admin, boards.city, quarter) == 1
    assert metrics.conferences_required(admin, boards.ward, quarter) == 0  # 0.25 rounds down
    # A ward that ceased to exist before the period asks for nothing.
    boards.other.valid_to = date(2025, 6, 30)
    boards.other.save()
    assert metrics.conferences_required(admin, boards.city, year) == 3


def test_an_area_out_of_scope_has_no_assignments(city):
    boards = build(city)
    ward_monitor = boards.users["monitor"]
    assert not metrics.assignments_in(ward_monitor, boards.other).exists()
    assert metrics.assignments_in(ward_monitor, boards.ward).count() == 8
    everything = metrics.assignments_in(boards.users["city_monitor"], None)
    assert everything.count() == 9


def test_the_agency_ranking_is_the_same_when_only_late_agencies_are_counted(city):
    """assignments_by_agency counts only the agencies with something overdue when they fill
    the ranking (the others rank after them); with fewer, it ranks every agency."""
    from conclusions.models import Assignment
    from tests.dashboards.boards_data import assignment, days_ago, issued_notice, today
    from tests.factories import OrgUnitFactory

    boards = build(city)
    monitor = boards.users["city_monitor"]
    notice = issued_notice(boards.ward, boards.users["leader"])
    agencies = [
        OrgUnitFactory(parent=boards.ward, name=f"Cơ quan {n}", kind="specialised_office") for n in range(5)
    ]
    # Shares 2/3, 1/2, 1/1, 0/2 (nothing late), 0/1: three agencies are late.
    for agency, late, on_time, accepted in zip(
        agencies, [2, 1, 1, 0, 0], [0, 1, 0, 1, 1], [1, 0, 0, 1, 0], strict=True
    ):
        for _ in range(late):
            assignment(notice, agency, days_ago(3))
        for _ in range(on_time):
            assignment(notice, agency, today())
        for _ in range(accepted):
            assignment(notice, agency, days_ago(10), status=Assignment.Status.ACCEPTED)

    def every_agency():
        rows = metrics.assignments_in(monitor, boards.city)
        return metrics._ranking(rows, ["lead_agency"], today())

    def ranked(limit):
        return [
            (row["lead_agency"], row["share"])
            for row in metrics.assignments_by_agency(monitor, boards.city, None, today(), limit)
        ]

    full = [(row["lead_agency"], row["share"]) for row in every_agency()]
    assert ranked(2) == full[:2]  # the late agencies fill the ranking
    assert ranked(30) == full[:30]  # they do not: every agency, the others after them
    mine = {agency.pk for agency in agencies}
    assert [pk for pk, _share in full if pk in mine] == [agencies[n].pk for n in (2, 0, 1, 3, 4)]
