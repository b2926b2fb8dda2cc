"""Scoping by region (accounts.scoping, core.migration_ops.RegionColumn): a row's region is
kept by the database whatever writes it, follows a unit moved to another province, and a
province's staff see exactly the rows the path rule gives them, through one indexed equality
instead of a join to the units."""

import pytest

from accounts.models import OrgUnit
from petitions.models import Petition
from tests.factories import OrgUnitFactory, UserFactory, conference_for, petition_for, ward_with_bodies

pytestmark = pytest.mark.django_db


@pytest.fixture
def country():
    nation = OrgUnitFactory(name="Toàn quốc", kind=OrgUnit.Kind.NATION)
    provinces = [OrgUnitFactory(name=name, kind="province", parent=nation) for name in ("Bắc Ninh", "Hà Nam")]
    wards = [ward_with_bodies(province, f"Phường {province.name}") for province in provinces]
    for ward in wards:
        conference = conference_for(ward)
        for _ in range(2):
            petition_for(conference)
    return nation, provinces, wards


def regions() -> dict[int, int]:
    return dict(Petition.objects.values_list("pk", "region_id"))


def test_the_region_is_the_province_of_the_area_whatever_writes_the_row(country):
    _nation, provinces, wards = country
    for petition in Petition.objects.select_related("area"):
        assert petition.region_id == provinces[wards.index(petition.area)].pk
    moved = Petition.objects.filter(area=wards[0]).first()
    Petition.objects.filter(pk=moved.pk).update(area=wards[1])  # an UPDATE that names the area
    assert regions()[moved.pk] == provinces[1].pk


def test_a_ward_moved_to_another_province_takes_its_rows_along(country):
    _nation, provinces, wards = country
    wards[0].parent = provinces[1]
    wards[0].save()
    assert set(regions().values()) == {provinces[1].pk}


def test_a_national_unit_added_above_the_provinces_makes_them_the_regions():
    province = OrgUnitFactory(name="Bắc Ninh", kind="province")
    ward = ward_with_bodies(province, "Kinh Bắc")
    petition_for(conference_for(ward))
    assert set(regions().values()) == {ward.pk}  # without a national unit: one level below the top
    nation = OrgUnitFactory(name="Toàn quốc", kind=OrgUnit.Kind.NATION)
    province.parent = nation
    province.save()
    assert set(regions().values()) == {province.pk}


def test_a_provinces_staff_see_by_region_exactly_what_the_paths_give(country):
    _nation, provinces, wards = country
    for area in (*provinces, wards[0]):
        user = UserFactory(agency=area, is_leader=True)
        visible = Petition.objects.visible_to(user)
        assert set(visible) == set(Petition.objects.filter(area__path__startswith=area.path))
        where = str(visible.query).split(" WHERE ", 1)[1]
        assert ('"region_id" =' in where) == (area in provinces), (area, where)
        assert ("accounts_orgunit" not in str(visible.query)) == (area in provinces)


def test_the_only_top_level_area_sees_everything_without_a_condition(country):
    nation, provinces, _wards = country
    national = UserFactory(agency=nation, is_monitor=True)
    assert national.sees_everything
    assert " WHERE " not in str(Petition.objects.visible_to(national).query)
    assert set(Petition.objects.visible_to(national)) == set(Petition.objects.all())
    assert not UserFactory(agency=provinces[0], is_leader=True).sees_everything
    OrgUnitFactory(name="Tỉnh ngoài cây", kind="province")  # a second top-level area
    national = UserFactory(agency=nation, is_monitor=True)
    assert not national.sees_everything
    assert " WHERE " in str(Petition.objects.visible_to(national).query)


def test_notices_keep_their_region_and_a_province_sees_them_by_it(country):
    # The notices' lists walk the country's newest notices; a province's staff walk its own
    # (conclusions 0017: the region column and its index, as the opinions').
    from conclusions.models import ConclusionNotice
    from tests.conclusions.helpers import draft_notice, leader_of

    _nation, provinces, wards = country
    for ward in wards:
        leader = leader_of(ward)
        draft_notice(ward, leader, conference=ward.conferences.first())
    notices = dict(ConclusionNotice.objects.values_list("area_id", "region_id"))
    assert notices == {ward.pk: province.pk for ward, province in zip(wards, provinces, strict=True)}
    for area in (*provinces, wards[0]):
        user = UserFactory(agency=area, is_leader=True)
        visible = ConclusionNotice.objects.visible_to(user)
        assert set(visible) == set(ConclusionNotice.objects.filter(area__path__startswith=area.path))
        assert ("accounts_orgunit" not in str(visible.query)) == (area in provinces)
