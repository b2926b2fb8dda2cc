"""The Django admin within a user's scope: what a ward's admin may reach and change
(found in review)."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_ward_admin_cannot_reach_unscoped_admin_pages(ward, other_ward, make_user, city):
    admin = login(make_user("admin"))
    assert admin.get("/quan-tri/authtoken/tokenproxy/").status_code == 403
    assert admin.get("/quan-tri/axes/accessattempt/").status_code == 403
    boss = UserFactory(agency=city, is_superuser=True)
    history = admin.get(reverse("admin:accounts_user_history", args=[boss.pk]))
    assert history.status_code == 404
    record = boss.history.latest()
    revert = admin.get(reverse("admin:accounts_user_simple_history", args=[boss.pk, record.history_id]))
    assert revert.status_code == 404
    # Their own ward's history is readable.
    assert admin.get(reverse("admin:accounts_orgunit_history", args=[ward.pk])).status_code == 200


def test_only_top_level_admins_change_shared_lists(ward, make_user, city):
    ward_admin = login(make_user("admin"))
    assert ward_admin.get(reverse("admin:core_calendaroverride_add")).status_code == 403
    assert ward_admin.get(reverse("admin:petitions_category_add")).status_code == 403
    city_admin = login(UserFactory(agency=city, is_sysadmin=True))
    assert city_admin.get(reverse("admin:core_calendaroverride_add")).status_code == 200


def test_party_terms_are_entered_in_the_admin_within_scope(ward, other_ward, make_user):
    from conclusions.models import CommitteeTerm

    CommitteeTerm.objects.create(
        body=other_ward.bodies["ĐU"],
        name="2025 – 2030",
        starts_on=date(2025, 7, 1),
        ends_on=date(2030, 6, 30),
    )
    admin = login(make_user("admin"))
    page = admin.get(reverse("admin:conclusions_committeeterm_changelist"))
    assert page.status_code == 200 and "Cầu Giấy" not in page.text
    response = admin.post(
        reverse("admin:conclusions_committeeterm_add"),
        {
            "body": ward.bodies["ĐU"].pk,
            "name": "2025 – 2030",
            "starts_on": "01/07/2025",
            "ends_on": "30/06/2030",
        },
    )
    assert response.status_code == 302
    assert CommitteeTerm.objects.filter(body=ward.bodies["ĐU"]).exists()
    assert admin.get(reverse("admin:conclusions_reminderrule_add")).status_code == 403
