"""A province's scope of assignments from the rows (conclusions 0021): `Assignment.region` and
`AssignmentReach`, kept by triggers (conclusions.reach), must give exactly the rows of the
four ways (area, lead agency, coordinating agency, responsible person's agency under the
scope's path) whatever writes the rows and whatever moves: an agency, a person, a unit."""

from datetime import date

import pytest
from django.db import connection, transaction

from accounts.models import OrgUnit
from conclusions.models import Assignment, AssignmentReach
from conclusions.reach import reach_fill
from tests.factories import OrgUnitFactory, UserFactory, ward_with_bodies

pytestmark = pytest.mark.django_db

DUE = date(2026, 12, 31)
# A province leader's API list: session, user, lineage, page (the count from the rows, fewer
# than a page); the four ways also asked User.scope_is_small (one query more).
QUERIES_API_LIST = 4


@pytest.fixture
def country():
    nation = OrgUnitFactory(name="Toàn quốc", kind=OrgUnit.Kind.NATION)
    provinces = [
        OrgUnitFactory(name=name, kind="province", parent=nation) for name in ("Bắc Ninh", "Hà Nam", "Huế")
    ]
    wards = [ward_with_bodies(province, f"Phường {province.name}") for province in provinces]
    return nation, provinces, wards


def work(area, lead, *, person=None, coordinating=(), status=Assignment.Status.ASSIGNED) -> Assignment:
    assignment = Assignment.objects.create(
        area=area,
        task=f"Việc của {area.name}",
        lead_agency=lead,
        responsible_person=person,
        deadline_rule=Assignment.DeadlineRule.FIXED_DATE,
        deadline=DUE,
        status=status,
    )
    assignment.coordinating_agencies.set(coordinating)
    return assignment


def by_paths(under: str) -> set[int]:
    """The four ways, spelt out on the units' paths: the definition the regions must keep."""
    return (
        set(Assignment.objects.filter(area__path__startswith=under).values_list("pk", flat=True))
        | set(Assignment.objects.filter(lead_agency__path__startswith=under).values_list("pk", flat=True))
        | set(
            Assignment.objects.filter(coordinating_agencies__path__startswith=under).values_list(
                "pk", flat=True
            )
        )
        | set(
            Assignment.objects.filter(responsible_person__agency__path__startswith=under).values_list(
                "pk", flat=True
            )
        )
    )


def assert_every_scope_exact(areas) -> None:
    open_work = Assignment.objects.open()
    for area in areas:
        area.refresh_from_db()
        user = UserFactory(agency=area, is_leader=True)
        expected = set().union(*(by_paths(path) for path in user.scope_paths))
        for shape in ({}, {"for_page": True}):
            found = set(Assignment.objects.visible_to(user, **shape).values_list("pk", flat=True))
            assert found == expected, (area.name, shape)
        narrowed = set(Assignment.objects.visible_to(user, among=open_work).values_list("pk", flat=True))
        assert narrowed == expected & set(open_work.values_list("pk", flat=True)), area.name


def assert_reach_as_filled() -> None:
    """What the triggers left is what a fill from scratch writes."""
    kept = set(AssignmentReach.objects.values_list("assignment_id", "region_id"))
    with transaction.atomic():
        with connection.cursor() as cursor:
            reach_fill(cursor)
        filled = set(AssignmentReach.objects.values_list("assignment_id", "region_id"))
        transaction.set_rollback(True)
    assert kept == filled


@pytest.fixture
def crossing(country):
    """Province 0's ward gives its own work; province 1's ward gives work reaching province 0
    by each of the three other ways; the national unit gives province 2's ward a lead."""
    nation, provinces, wards = country
    home, away, far = wards
    handler = UserFactory(agency=home.bodies["UBND"], is_handler=True)
    made = {
        "own": work(home, home.bodies["UBND"], coordinating=[home.bodies["MTTQ"]]),
        "led": work(away, home.bodies["UBND"]),
        "coordinated": work(
            away, away.bodies["UBND"], coordinating=[away.bodies["MTTQ"], home.bodies["MTTQ"]]
        ),
        "person": work(away, away.bodies["UBND"], person=handler),
        "unrelated": work(away, away.bodies["UBND"], coordinating=[away.bodies["ĐU"]]),
        "closed": work(away, home.bodies["ĐU"], status=Assignment.Status.ACCEPTED),
        "national": work(nation, far.bodies["UBND"]),
    }
    return nation, provinces, wards, handler, made


def every_area(nation, provinces, wards):
    return [nation, *provinces, *wards, *(body for ward in wards for body in ward.bodies.values())]


def test_the_region_is_the_areas_and_the_reach_holds_only_the_crossing_rows(crossing):
    nation, provinces, wards, _handler, made = crossing
    regions = dict(Assignment.objects.values_list("pk", "region_id"))
    assert regions[made["own"].pk] == provinces[0].pk
    assert regions[made["led"].pk] == provinces[1].pk
    assert regions[made["national"].pk] == nation.pk
    assert set(AssignmentReach.objects.values_list("assignment_id", "region_id")) == {
        (made["led"].pk, provinces[0].pk),
        (made["coordinated"].pk, provinces[0].pk),
        (made["person"].pk, provinces[0].pk),
        (made["closed"].pk, provinces[0].pk),
        (made["national"].pk, provinces[2].pk),
    }
    assert_every_scope_exact(every_area(nation, provinces, wards))


def test_a_province_is_answered_by_its_region_without_the_units(crossing):
    _nation, provinces, wards, _handler, made = crossing
    user = UserFactory(agency=provinces[0], is_leader=True)
    page = Assignment.objects.visible_to(user, for_page=True)
    assert "accounts_orgunit" not in str(page.query)
    assert '"region_id" IN' in str(page.query) and "= ANY(ARRAY(" in str(page.query)
    assert set(page) == {made[name] for name in ("own", "led", "coordinated", "person", "closed")}
    # A ward keeps the four ways on its units.
    ward_user = UserFactory(agency=wards[0], is_leader=True)
    assert "accounts_orgunit" in str(Assignment.objects.visible_to(ward_user, for_page=True).query)


def test_what_changes_a_rows_reach_keeps_it_exact(crossing):
    nation, provinces, wards, handler, made = crossing
    home, away, far = wards
    # The lead given back to its own region, by an UPDATE that names it.
    Assignment.objects.filter(pk=made["led"].pk).update(lead_agency=away.bodies["ĐU"])
    # A coordinating agency removed; another, elsewhere, added.
    made["coordinated"].coordinating_agencies.remove(home.bodies["MTTQ"])
    made["unrelated"].coordinating_agencies.add(far.bodies["MTTQ"])
    # The responsible person moves to another province's agency.
    handler.agency = far.bodies["ĐU"]
    handler.save()
    # Another area for the national work (now a ward's own).
    Assignment.objects.filter(pk=made["national"].pk).update(area=far)
    assert_reach_as_filled()
    assert_every_scope_exact(every_area(nation, provinces, wards))
    assert set(AssignmentReach.objects.values_list("assignment_id", "region_id")) == {
        (made["unrelated"].pk, provinces[2].pk),
        (made["person"].pk, provinces[2].pk),
        (made["closed"].pk, provinces[0].pk),
    }


def test_an_agency_or_a_ward_moved_to_another_province_takes_the_reach_along(crossing):
    nation, provinces, wards, _handler, made = crossing
    home, away, far = wards
    # An agency moved: home's Party committee (lead of the closed work) now sits in province 2.
    home.bodies["ĐU"].parent = far
    home.bodies["ĐU"].save()
    assert_reach_as_filled()
    assert_every_scope_exact(every_area(nation, provinces, wards))
    assert (made["closed"].pk, provinces[2].pk) in set(
        AssignmentReach.objects.values_list("assignment_id", "region_id")
    )
    # A whole ward moved: the away ward (and its agencies) into province 0, so that its work
    # reaching province 0 no longer crosses, and the closed work reaches province 2 from there.
    away.parent = provinces[0]
    away.save()
    assert_reach_as_filled()
    assert_every_scope_exact(every_area(nation, provinces, wards))
    assert set(Assignment.objects.filter(area=away).values_list("region_id", flat=True)) == {provinces[0].pk}


def test_rows_written_in_bulk_or_by_raw_sql_and_deleted_keep_the_reach(crossing):
    nation, provinces, wards, handler, made = crossing
    home, away, far = wards
    bulk = Assignment.objects.bulk_create([
        Assignment(area=far, task="Việc gộp", lead_agency=home.bodies["UBND"], deadline_rule="date", deadline=DUE),
        Assignment(area=far, task="Việc gộp", lead_agency=far.bodies["UBND"], responsible_person=handler,
                   deadline_rule="date", deadline=DUE),
    ])  # fmt: skip
    through = Assignment.coordinating_agencies.through
    through.objects.bulk_create([through(assignment_id=bulk[1].pk, orgunit_id=away.bodies["MTTQ"].pk)])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE conclusions_assignment SET responsible_person_id = NULL WHERE id = %s",
            [made["person"].pk],
        )
    made["led"].delete()
    Assignment.objects.filter(pk=made["coordinated"].pk).delete()
    assert not AssignmentReach.objects.filter(
        assignment_id__in=[made["led"].pk, made["coordinated"].pk]
    ).exists()
    assert_reach_as_filled()
    assert_every_scope_exact(every_area(nation, provinces, wards))
    assert set(
        AssignmentReach.objects.filter(assignment__in=bulk).values_list("assignment_id", "region_id")
    ) == {
        (bulk[0].pk, provinces[0].pk),
        (bulk[1].pk, provinces[0].pk),
        (bulk[1].pk, provinces[1].pk),
    }


def test_a_province_that_succeeded_old_units_sees_their_work_too(crossing, monkeypatch):
    """A scope of a region and of old units merged into it (User.scope_paths): the region's
    rows or reach, or the four ways on the old units' paths, in every shape."""
    from accounts.models import User

    _nation, provinces, wards, _handler, made = crossing
    home, _away, far = wards
    # An old ward of province 2, merged into the home ward: its work and what it leads.
    old = ward_with_bodies(provinces[2], "Cũ")
    OrgUnit.objects.filter(pk=old.pk).update(successor=home, valid_to=date(2025, 6, 30))
    old_work = work(old, old.bodies["UBND"])
    led_by_old = work(far, old.bodies["UBND"])
    user = UserFactory(agency=provinces[0], is_leader=True)
    assert len(user.scope_paths) == 2
    for small_scope_units in (0, 10**6):
        monkeypatch.setattr(User, "SMALL_SCOPE_UNITS", small_scope_units)
        for shape in ({}, {"for_page": True}, {"among": Assignment.objects.all()}):
            user = User.objects.get(pk=user.pk)
            found = set(Assignment.objects.visible_to(user, **shape).values_list("pk", flat=True))
            assert found == by_paths(provinces[0].path) | by_paths(old.path), shape
            assert {old_work.pk, led_by_old.pk, made["led"].pk} <= found


def test_a_provinces_pages_list_what_its_scope_holds(crossing, django_assert_num_queries):
    """The web list and the API list of a province's leader (their page and bounded count on
    the region and the reach) show every assignment reaching the province, and no other.
    Counted exactly: the region needs no query of its own (no User.scope_is_small)."""
    from django.urls import reverse

    from tests.conftest import login

    _nation, provinces, _wards, _handler, made = crossing
    leader = UserFactory(agency=provinces[0], is_leader=True)
    client = login(leader)
    reaching = {made[name].pk for name in ("own", "led", "coordinated", "person", "closed")}

    with django_assert_num_queries(QUERIES_API_LIST):
        response = client.get(reverse("api:assignment-list"))
    assert {row["id"] for row in response.json()["results"]} == reaching
    assert response.json()["count"] == len(reaching)

    page = client.get(reverse("conclusions:assignments"), {"mine": "0", "show": "all"}).context["page"]
    assert {assignment.pk for assignment in page} == reaching
    assert page.paginator.count == len(reaching)
