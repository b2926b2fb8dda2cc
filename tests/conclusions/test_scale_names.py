"""seed_demo --scale beside data already there: a generation of its own (the tests of
tests/conclusions/test_scale.py share one generated country)."""

import io
from datetime import date

import pytest

from accounts.models import OrgUnit
from bench.scale import generate

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def test_a_name_already_taken_at_the_top_is_kept_apart(city):
    generate(scale=0.002, stdout=io.StringIO(), today=TODAY)
    # Both cities end up under the national unit, each with its own name.
    tops = OrgUnit.objects.filter(parent__kind=OrgUnit.Kind.NATION)
    assert tops.filter(name="Thành phố Hà Nội (dữ liệu thử)").exists() and tops.filter(pk=city.pk).exists()
