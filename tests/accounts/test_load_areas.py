"""manage.py load_areas: the real units of Vietnam from the vietnam-provinces package."""

import io
import time
import tracemalloc
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from accounts import areas
from accounts.demo import seed as seed_demo_units
from accounts.models import OrgUnit
from tests.factories import UserFactory

Kind = OrgUnit.Kind
pytestmark = pytest.mark.django_db


def coded_areas():
    return OrgUnit.objects.areas().exclude(code="")


def test_one_province_hanoi_has_its_126_wards_and_communes_with_official_codes():
    call_command("load_areas", province="01", stdout=io.StringIO())
    hanoi = OrgUnit.objects.get(code="01")
    assert (hanoi.name, hanoi.kind, hanoi.parent_id) == ("Thành phố Hà Nội", Kind.CITY, None)
    below = OrgUnit.objects.filter(parent=hanoi, valid_to=None)
    # Resolution 1656/NQ-UBTVQH15: 126 units directly under the city, 51 wards and 75 communes.
    assert below.count() == 126
    assert below.filter(kind=Kind.WARD).count() == 51
    assert below.filter(kind=Kind.COMMUNE).count() == 75
    hoan_kiem = OrgUnit.objects.get(code="00070", valid_to=None)
    assert hoan_kiem.name == "Phường Hoàn Kiếm"
    assert hoan_kiem.valid_from == date(2025, 7, 1) and hoan_kiem.valid_to is None
    assert hoan_kiem.path == f"{hanoi.path}{hoan_kiem.pk:010d}." and hoan_kiem.area_id == hoan_kiem.pk
    assert hoan_kiem.search_text == "phuong hoan kiem 00070"
    assert not OrgUnit.objects.exclude(path__startswith=hanoi.path).exists()


def test_province_by_name_without_accents_and_unknown_province():
    call_command("load_areas", province="Cao Bang", stdout=io.StringIO())
    assert OrgUnit.objects.get(parent=None).name == "Tỉnh Cao Bằng"
    with pytest.raises(CommandError, match="Không có tỉnh, thành phố “Atlantis”"):
        call_command("load_areas", province="Atlantis")


def test_whole_country_then_again_is_idempotent(capsys):
    tracemalloc.start()
    started = time.monotonic()
    call_command("load_areas")
    first_seconds = time.monotonic() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    provinces = coded_areas().filter(parent=None)
    assert provinces.count() == 34
    assert provinces.filter(kind=Kind.CITY).count() == 6
    assert coded_areas().filter(valid_to=None).count() == 34 + 3321
    assert coded_areas().filter(kind=Kind.SPECIAL_ZONE).count() == 13
    history_rows = OrgUnit.history.count()
    ids = set(OrgUnit.objects.values_list("pk", flat=True))

    call_command("load_areas")
    assert set(OrgUnit.objects.values_list("pk", flat=True)) == ids
    assert OrgUnit.history.count() == history_rows  # nothing written the second time
    out = capsys.readouterr().out
    assert "Tạo mới 0 đơn vị" in out and "giữ nguyên 3355" in out
    print(f"whole country: {first_seconds:.1f} s, Python peak {peak / 2**20:.0f} MiB")


def test_loading_over_the_demo_gives_its_units_their_codes_instead_of_copies():
    seed_demo_units(stdout=io.StringIO())
    bo_de = OrgUnit.objects.get(name="Phường Bồ Đề", valid_to=None)
    staff = UserFactory(agency=bo_de.children.get(symbol="UBND"))
    call_command("load_areas", province="01", stdout=io.StringIO())
    assert OrgUnit.objects.filter(name="Phường Bồ Đề", valid_to=None).count() == 1
    bo_de.refresh_from_db()
    assert bo_de.code and bo_de.parent.code == "01"
    assert staff.area == bo_de
    # The demo's 2022 district is an old unit of the same name: it gets its code only from
    # pre-2025 data, and is never taken for a current unit.
    assert OrgUnit.objects.get(name="Quận Long Biên").valid_to == date(2025, 6, 30)


def test_a_renamed_unit_is_renamed_back_and_units_outside_the_data_are_kept():
    call_command("load_areas", province="01", stdout=io.StringIO())
    unit = OrgUnit.objects.get(code="00070", valid_to=None)
    unit.name = "Phường Hoàn Kiếm (sửa tay)"
    unit.save()
    user = UserFactory(agency=unit)
    extra = OrgUnit.objects.create(name="Khu thử nghiệm", kind=Kind.WARD, code="99999", parent=unit.parent)
    call_command("load_areas", province="01", stdout=io.StringIO())
    unit.refresh_from_db()
    assert unit.name == "Phường Hoàn Kiếm"
    assert OrgUnit.objects.filter(pk=extra.pk).exists()
    assert user.agency_id == unit.pk


def test_predecessors_end_on_30_06_2025_and_point_to_their_successor():
    """The conversion table ships with the package's 2026 versions (Python 3.12); the loader
    is given the same records by hand here: an old district, one ward merged whole, one split."""
    city = areas.AreaRecord("01", "Thành phố Hà Nội", Kind.CITY)
    new_ward = areas.AreaRecord("00004", "Phường Ba Đình", Kind.WARD, parent=city.key)
    other_new = areas.AreaRecord("00008", "Phường Ngọc Hà", Kind.WARD, parent=city.key)
    district = areas.AreaRecord("001", "Quận Ba Đình", Kind.DISTRICT, old=True, parent=city.key)
    whole = areas.AreaRecord("00004", "Phường Trúc Bạch", Kind.WARD, old=True, parent=district.key,
                             successor=new_ward.key)  # fmt: skip
    split = areas.AreaRecord("00016", "Phường Ngọc Hà", Kind.WARD, old=True, parent=district.key)
    report = areas.areas_load(records=[city, new_ward, other_new, district, whole, split])
    assert report.created == 6 and report.without_successor == 1

    truc_bach = OrgUnit.objects.get(code="00004", valid_to=date(2025, 6, 30))
    ba_dinh = OrgUnit.objects.get(code="00004", valid_to=None)
    assert truc_bach.successor == ba_dinh and truc_bach.parent.name == "Quận Ba Đình"
    assert truc_bach.path.startswith(truc_bach.parent.path)
    # Today's staff of the new ward see the old ward's records.
    staff = UserFactory(agency=ba_dinh)
    assert truc_bach.path in staff.scope_paths
    again = areas.areas_load(records=[city, new_ward, other_new, district, whole, split])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)


@pytest.mark.skipif(not areas.legacy_available(), reason="the installed package has no pre-2025 data")
def test_real_predecessors_of_hanoi():
    call_command("load_areas", province="01", stdout=io.StringIO())
    ba_dinh = OrgUnit.objects.get(code="00004", valid_to=None)
    assert ba_dinh.predecessors.filter(name="Phường Trúc Bạch").exists()
