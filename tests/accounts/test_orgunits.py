from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import OrgUnit
from tests.factories import OrgUnitFactory, ward_with_bodies

pytestmark = pytest.mark.django_db


def test_paths_depths_and_areas(city, ward):
    committee = ward.bodies["UBND"]
    assert city.path and ward.path.startswith(city.path) and committee.path.startswith(ward.path)
    assert (city.depth, ward.depth, committee.depth) == (0, 1, 2)
    assert city.area == city and ward.area == ward
    assert committee.area == ward  # a body belongs to the area it sits in
    office = OrgUnitFactory(parent=committee, name="Bộ phận một cửa", kind=OrgUnit.Kind.OTHER)
    assert office.area == ward


def test_subtree_is_one_prefix_query(city, ward, other_ward, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = set(OrgUnit.objects.subtree(ward).values_list("name", flat=True))
    assert "Phường Bồ Đề" in names and "Ủy ban nhân dân phường Bồ Đề" in names
    assert not any("Cầu Giấy" in name for name in names)
    assert OrgUnit.objects.subtree(city).count() == 9


def test_subtree_query_uses_the_path_index(city, ward):
    from django.db import connection

    sql, params = OrgUnit.objects.subtree(ward).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "orgunit_path_prefix" in plan


def test_ancestors_top_first(city, ward):
    assert list(ward.bodies["UBND"].ancestors()) == [city, ward]
    assert list(city.ancestors()) == []


def test_moving_a_unit_moves_its_subtree(city, ward, other_ward):
    district = OrgUnitFactory(parent=city, name="Quận Long Biên", kind=OrgUnit.Kind.DISTRICT)
    ward.parent = district
    ward.save()
    committee = OrgUnit.objects.get(pk=ward.bodies["UBND"].pk)
    assert committee.path.startswith(district.path)
    assert committee.depth == 3 and committee.area_id == ward.pk
    assert OrgUnit.objects.subtree(district).count() == 5


def test_a_unit_cannot_move_under_itself(ward):
    ward.parent = ward.bodies["UBND"]
    with pytest.raises(ValidationError) as caught:
        ward.full_clean()
    assert "parent" in caught.value.message_dict


def test_a_body_needs_an_area_above_it():
    with pytest.raises(ValidationError) as caught:
        OrgUnit(name="Công an phường", kind=OrgUnit.Kind.POLICE).full_clean()
    assert "parent" in caught.value.message_dict


def test_validity_dates(city):
    old = OrgUnitFactory(parent=city, name="Quận cũ", kind="district", valid_to=date(2025, 6, 30))
    assert old.is_valid_on(date(2022, 9, 30)) and not old.is_valid_on(date(2025, 7, 1))
    assert OrgUnit.objects.valid_on(date(2025, 7, 1)).filter(pk=old.pk).count() == 0
    with pytest.raises(IntegrityError):
        OrgUnitFactory(parent=city, kind="ward", valid_from=date(2025, 7, 1), valid_to=date(2025, 1, 1))


def test_history_records_who_changed_what(city, make_user):
    admin = make_user("admin")
    ward = ward_with_bodies(city, "Phúc Lợi")
    ward._history_user = admin
    ward.symbol = "PL"
    ward.save()
    latest = ward.history.latest()
    assert latest.history_user == admin and latest.symbol == "PL"
    assert [record.history_type for record in ward.history.order_by("history_id")] == ["+", "~"]
