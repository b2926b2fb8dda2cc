"""The admin pages of the boards' models are scoped like the rest of the admin."""

import pytest
from django.urls import reverse

from dashboards import services
from dashboards.models import AgencyReminder
from tests.conftest import login
from tests.dashboards.boards_data import build
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_remarks_and_reminders_within_scope(city):
    boards = build(city)
    services.remark_create(
        by=boards.users["monitor"], text="Nhận xét Bồ Đề", conference=boards.conferences["main"]
    )
    AgencyReminder.objects.create(
        agency=boards.office, sent_by=boards.users["leader"], item_count=3, recipient_count=2
    )
    cau_giay_admin = login(UserFactory(agency=boards.other.bodies["UBND"], is_sysadmin=True))
    bo_de_admin = login(UserFactory(agency=boards.office, is_sysadmin=True))
    remarks = reverse("admin:dashboards_supervisionremark_changelist")
    reminders = reverse("admin:dashboards_agencyreminder_changelist")
    assert "Nhận xét Bồ Đề" in bo_de_admin.get(remarks).text
    assert "Nhận xét Bồ Đề" not in cau_giay_admin.get(remarks).text
    assert boards.office.name in bo_de_admin.get(reminders).text
    assert boards.office.name not in cau_giay_admin.get(reminders).text
