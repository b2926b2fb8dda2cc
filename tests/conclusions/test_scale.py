"""seed_demo --scale: the generated data obeys the rules the application relies on."""

import io
import re
from datetime import date

import pytest
from django.db.models import Count, Max, Min

from accounts.models import OrgUnit, User
from bench.scale import generate
from conclusions.models import Assignment, ConclusionNotice
from core.text import fold
from dialogue.models import Conference
from petitions.models import Petition
from registers.models import RegisterCounter
from tests.conftest import data_shared_by_the_module

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def generate_small() -> str:
    out = io.StringIO()
    generate(scale=0.002, stdout=out, today=TODAY)
    return out.getvalue()


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker) -> str:
    """Generated once for the module (its tests only read it: ~2 s each before)."""
    yield from data_shared_by_the_module(django_db_blocker, generate_small)


def test_volumes_follow_the_scale(generated):
    wards = OrgUnit.objects.filter(kind__in=["ward", "commune"])
    assert 15 <= wards.count() <= 25
    # 2 million petitions and 1 million assignments at scale 1.
    assert 3_000 <= Petition.objects.count() <= 5_000
    assert 1_400 <= Assignment.objects.count() <= 2_600
    assert "xong" in generated or "ANALYZE" in generated


def test_tree_paths_and_areas_are_consistent(generated):
    for unit in OrgUnit.objects.select_related("parent").order_by("?")[:50]:
        expected = (unit.parent.path if unit.parent else "") + f"{unit.pk:010d}."
        assert unit.path == expected
        assert unit.area_id == (unit.pk if unit.is_area else unit.parent.area_id)
    ward = OrgUnit.objects.filter(kind="ward").first()
    assert OrgUnit.objects.subtree(ward).bodies().count() == 6


def test_people_hold_roles_in_their_ward(generated):
    leader = User.objects.filter(username__endswith=".lanhdao").first()
    assert leader.is_leader and leader.area.kind in ("ward", "commune")
    assert not leader.has_usable_password()  # benchmark data: nobody logs in with it


def test_notices_are_numbered_from_one_each_year_and_counters_continue(generated):
    numbers = ConclusionNotice.objects.values("issuing_body", "number_series").annotate(
        low=Min("number"), high=Max("number"), count=Count("pk")
    )
    for row in numbers:
        assert row["low"] == 1 and row["high"] == row["count"]  # gapless
        counter = RegisterCounter.objects.get(body=row["issuing_body"], series=row["number_series"])
        assert counter.last_number == row["high"]
    assert ConclusionNotice.objects.exclude(number_label__regex=r"^\d{2,}/TB-UBND$").count() == 0


def test_assignments_age_like_real_ones(generated):
    open_now = Assignment.objects.open()
    assert open_now.filter(deadline__lt=TODAY).exists()  # overdue work exists, as in life
    assert open_now.filter(deadline__gte=TODAY).exists()
    old = Assignment.objects.filter(deadline__lt=date(2025, 1, 1))
    assert old.filter(status="accepted").count() > 0.9 * old.count()
    # A petition is resolved on the day its (only) assignment was accepted.
    accepted = Assignment.objects.filter(status="accepted").prefetch_related("petitions")[:30]
    for assignment in accepted:
        (petition,) = assignment.petitions.all()
        assert petition.resolved_on == assignment.accepted_at.date()
        assert petition.outcome == "in_authority"


def test_search_text_is_folded_and_denouncers_stay_out(generated):
    petition = Petition.objects.exclude(kind="to_cao").first()
    assert petition.search_text == fold(petition.search_text)
    assert fold(petition.petitioner_name) in petition.search_text
    for denunciation in Petition.objects.filter(kind="to_cao")[:20]:
        assert fold(denunciation.petitioner_name) not in denunciation.search_text
    assert Petition.objects.search("dat dai").exists()


def test_tracking_codes_are_unique_and_well_formed(generated):
    codes = list(Petition.objects.values_list("tracking_code", flat=True))
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"Z[A-Z2-9]{4}-[A-Z2-9]{5}", code) for code in codes)


def test_conferences_recent_are_not_yet_concluded(generated):
    recent = Conference.objects.filter(held_on__gt=date(2026, 11, 12))
    assert not recent.filter(status="concluded").exists()
    future = Conference.objects.filter(starts_at__date__gt=TODAY)
    assert not future.exclude(status="planned").exists()
    assert not Conference.objects.filter(status="planned", held_on__isnull=False).exists()


def test_units_carry_the_real_names_of_vietnam(generated):
    # At this scale: the national unit above one province, Hà Nội, and the first 20 of its
    # 126 units (package order).
    nation = OrgUnit.objects.get(parent=None)
    assert (nation.name, nation.kind) == ("Toàn quốc", "nation")
    province = OrgUnit.objects.get(parent=nation)
    assert (province.name, province.kind) == ("Thành phố Hà Nội", "city")
    names = set(OrgUnit.objects.areas().filter(parent=province).values_list("name", flat=True))
    assert {"Phường Hoàn Kiếm", "Phường Cửa Nam", "Phường Ba Đình"} <= names and len(names) == 20


def test_the_regions_are_written_as_the_triggers_would_write_them(generated):
    # The load runs in replica mode (no trigger fires): the generator writes the opinions',
    # the notices' and the assignments' region itself, and a province's staff see their rows
    # by it.
    from django.db import connection

    assert Petition.objects.exists() and ConclusionNotice.objects.exists() and Assignment.objects.exists()
    for table in (Petition._meta.db_table, ConclusionNotice._meta.db_table, Assignment._meta.db_table):
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT count(*) FROM "{table}" AS row JOIN accounts_orgunit AS unit ON unit.id = row.area_id '
                "WHERE row.region_id IS DISTINCT FROM core_region_of(unit.path)"
            )
            assert cursor.fetchone()[0] == 0, table


def test_assignments_carry_the_day_they_arose(generated):
    """A load in replica mode fires no trigger: the generator writes Assignment.arises_on
    itself, the day its notice's conference was held (conclusions.arising)."""
    rows = Assignment.objects.values_list("arises_on", "notice__conference__held_on")
    assert rows and all(held_on is not None and arises_on == held_on for arises_on, held_on in rows)
