"""One scoping mechanism: a user sees their area and everything below (404 otherwise);
roles decide what they may do (403 otherwise)."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import OrgUnit, User
from tests.conftest import login
from tests.factories import OrgUnitFactory, UserFactory, ward_with_bodies

pytestmark = pytest.mark.django_db


def detail(unit):
    return reverse("accounts:orgunit_detail", args=[unit.pk])


def test_ward_user_sees_own_ward_only(ward, other_ward, make_user):
    clerk = make_user("clerk")
    visible = OrgUnit.objects.visible_to(clerk)
    assert set(visible) == {ward, *ward.bodies.values()}
    client = login(clerk)
    assert client.get(detail(ward.bodies["ĐU"])).status_code == 200
    assert client.get(detail(other_ward)).status_code == 404
    assert client.get(detail(other_ward.bodies["UBND"])).status_code == 404
    assert client.get(detail(ward.parent)).status_code == 404  # the city is above the ward


def test_city_user_sees_everything_below(city, ward, other_ward):
    city_committee = OrgUnitFactory(parent=city, name="UBND thành phố", kind="peoples_committee")
    city_monitor = UserFactory(agency=city_committee, is_monitor=True)
    assert OrgUnit.objects.visible_to(city_monitor).count() == OrgUnit.objects.count()
    client = login(city_monitor)
    for unit in (city, ward, other_ward.bodies["MTTQ"]):
        assert client.get(detail(unit)).status_code == 200


def test_new_ward_sees_the_old_ward_it_succeeded(city, ward, make_user):
    district = OrgUnitFactory(parent=city, name="Quận Long Biên", kind="district", valid_to=date(2025, 6, 30))
    old_ward = ward_with_bodies(district, "Bồ Đề cũ")
    old_ward.successor = ward
    old_ward.valid_to = date(2025, 6, 30)
    old_ward.save()
    clerk = make_user("clerk")
    visible = set(OrgUnit.objects.visible_to(clerk))
    assert old_ward in visible and old_ward.bodies["UBND"] in visible
    assert district not in visible  # the old district's own records belong to the city
    assert login(clerk).get(detail(old_ward.bodies["ĐU"])).status_code == 200


def test_succession_over_two_reforms(city, ward, make_user):
    middle = ward_with_bodies(city, "Trung gian")
    oldest = ward_with_bodies(city, "Xưa nhất")
    OrgUnit.objects.filter(pk=middle.pk).update(successor=ward)
    OrgUnit.objects.filter(pk=oldest.pk).update(successor=middle)
    assert oldest in set(OrgUnit.objects.visible_to(make_user("leader")))


def test_users_are_scoped_by_their_agency(ward, other_ward, make_user):
    admin = make_user("admin")
    mine = make_user("clerk")
    theirs = UserFactory(agency=other_ward.bodies["UBND"], is_clerk=True)
    visible = set(User.objects.visible_to(admin))
    assert {admin, mine} <= visible and theirs not in visible


def test_anonymous_and_inactive_users_see_nothing(ward, make_user):
    from django.contrib.auth.models import AnonymousUser

    assert not OrgUnit.objects.visible_to(AnonymousUser()).exists()
    assert not OrgUnit.objects.visible_to(make_user("clerk", is_active=False)).exists()
    assert not OrgUnit.objects.visible_to(UserFactory(agency=None, is_clerk=True)).exists()


def test_monitor_only_reads(ward, make_user):
    monitor = make_user("monitor", agency=ward.bodies["MTTQ"])
    assert not monitor.can_write
    assert OrgUnit.objects.visible_to(monitor).exists()
    assert not OrgUnit.objects.editable_by(monitor).exists()
    assert OrgUnit.objects.editable_by(make_user("clerk")).exists()


def test_wrong_role_gets_403(ward, make_user):
    assert login(make_user("clerk")).get(reverse("accounts:user_list")).status_code == 403
    assert login(make_user("monitor")).get(reverse("accounts:user_list")).status_code == 403
    assert login(make_user("admin")).get(reverse("accounts:user_list")).status_code == 200


def test_a_user_without_any_role_gets_403_on_directory(ward, make_user):
    assert login(make_user()).get(reverse("accounts:orgunit_list")).status_code == 403


def test_anonymous_is_sent_to_login(client, ward):
    response = client.get(reverse("accounts:orgunit_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_admin_site_is_scoped(ward, other_ward, make_user):
    client = login(make_user("admin"))
    page = client.get(reverse("admin:accounts_orgunit_changelist") + "?q=phuong")
    assert page.status_code == 200
    assert "Bồ Đề" in page.text and "Cầu Giấy" not in page.text
    # Another ward's unit does not exist for this admin: the admin site redirects with a notice.
    response = client.get(reverse("admin:accounts_orgunit_change", args=[other_ward.pk]))
    assert response.status_code == 302
    # A ward admin cannot make anyone a superuser.
    form = client.get(reverse("admin:accounts_user_change", args=[make_user("clerk").pk]))
    assert 'name="is_superuser"' not in form.text


def test_directory_search_stays_in_scope(ward, other_ward, make_user):
    page = login(make_user("clerk")).get(reverse("accounts:orgunit_list"), {"q": "uy ban nhan dan"})
    assert "Ủy ban nhân dân phường Bồ Đề" in page.text
    assert "Cầu Giấy" not in page.text


def test_the_lineage_is_asked_of_the_units_that_have_a_successor(city, ward):
    # Few units have a successor: the index on it answers, each joined to its successor by
    # key. Asked only by the successor's path prefix, the planner (which takes the prefix of a
    # province or of the country for most units) hashed every unit twice: 124 ms for a user of
    # the national unit over 71,000 units, on every page.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    old = ward_with_bodies(city, "Cũ")
    OrgUnit.objects.filter(pk=old.pk).update(successor=ward)
    with CaptureQueriesContext(connection) as queries:
        assert old.path in ward.lineage_paths()
    sql = queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:  # in the test's transaction: rolled back
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert any("Index Cond" in line and "successor_id IS NOT NULL" in line for line in plan.splitlines())
