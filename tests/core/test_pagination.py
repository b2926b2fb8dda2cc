import pytest

from accounts.models import OrgUnit
from core.pagination import LargeListPaginator
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    city = OrgUnitFactory(name="Thành phố", kind="city")
    for number in range(12):
        OrgUnitFactory(name=f"Phường {number}", kind="ward", parent=city)
    return OrgUnit.objects.order_by("pk")


def test_small_lists_are_counted_exactly(units):
    paginator = LargeListPaginator(units, 5, exact_limit=20)
    assert not paginator.is_estimated
    assert paginator.count == 13
    assert paginator.num_pages == 3
    assert [unit.name for unit in paginator.get_page(3)] == ["Phường 9", "Phường 10", "Phường 11"]


def test_large_lists_read_a_bounded_number_of_rows_and_estimate(units, django_assert_max_num_queries):
    paginator = LargeListPaginator(units, 5, exact_limit=4)
    with django_assert_max_num_queries(2):  # the bounded count, then EXPLAIN
        assert paginator.is_estimated
        assert paginator.count >= 5  # never less than what was seen
    page = paginator.get_page(2)
    assert [unit.name for unit in page] == ["Phường 4", "Phường 5", "Phường 6", "Phường 7", "Phường 8"]
    assert page.has_next()


def test_estimated_page_is_labelled_about(units, rf):
    from django.template.loader import render_to_string

    page = LargeListPaginator(units, 5, exact_limit=4).get_page(1)
    request = rf.get("/")
    html = render_to_string("includes/pagination.html", {"page": page}, request=request)
    assert "khoảng" in html
    exact = LargeListPaginator(units, 5).get_page(1)
    assert "Trang 1/3" in render_to_string("includes/pagination.html", {"page": exact}, request=request)
