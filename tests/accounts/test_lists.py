import pytest
from django.urls import reverse

from accounts.models import OrgUnit
from tests.conftest import login
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", [5, 50])
def test_directory_queries_do_not_grow(rows, ward, make_user, django_assert_max_num_queries):
    OrgUnitFactory.create_batch(rows, parent=ward, kind=OrgUnit.Kind.SPECIALISED_OFFICE)
    client = login(make_user("clerk"))
    with django_assert_max_num_queries(7):
        page = client.get(reverse("accounts:orgunit_list"))
    assert page.status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_user_list_queries_do_not_grow(rows, ward, make_user, django_assert_max_num_queries):
    UserFactory.create_batch(rows, agency=ward.bodies["UBND"], is_handler=True)
    client = login(make_user("admin"))
    with django_assert_max_num_queries(7):
        page = client.get(reverse("accounts:user_list"), {"role": "handler"})
    assert page.status_code == 200
    assert page.text.count("<tr>") == rows + 1


def test_user_list_search_folds_accents(ward, make_user):
    make_user("handler", full_name="Nguyễn Thị Hằng")
    page = login(make_user("admin")).get(reverse("accounts:user_list"), {"q": "thi hang"})
    assert "Nguyễn Thị Hằng" in page.text


def test_orgunit_detail_shows_bodies_and_staff(ward, make_user):
    make_user("leader", full_name="Nguyễn Văn Minh", title="Chủ tịch UBND phường")
    client = login(make_user("clerk"))
    ward_page = client.get(reverse("accounts:orgunit_detail", args=[ward.pk]))
    assert "Ủy ban MTTQ Việt Nam phường Bồ Đề" in ward_page.text
    body_page = client.get(reverse("accounts:orgunit_detail", args=[ward.bodies["UBND"].pk]))
    assert "Nguyễn Văn Minh" in body_page.text and "Chủ tịch UBND phường" in body_page.text


def test_dates_are_day_month_year(city, make_user):
    from datetime import date

    OrgUnitFactory(parent=city, name="Quận Long Biên", kind="district", valid_to=date(2025, 6, 30))
    city_user = UserFactory(agency=city, is_monitor=True)
    page = login(city_user).get(reverse("accounts:orgunit_list"))
    assert "30/06/2025" in page.text
