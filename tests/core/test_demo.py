import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import OrgUnit, User
from tests.conftest import data_shared_by_the_module

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> str:
    """The demo seeded once for the module (~6 s); each test then seeds it again in its own
    savepoint, rolled back after it, to check that a second run creates nothing."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield from data_shared_by_the_module(django_db_blocker, seed)


def test_seed_demo_builds_hanoi_and_is_idempotent(settings, seeded):
    output = seeded
    city = OrgUnit.objects.get(name="Thành phố Hà Nội")
    assert city.children.filter(kind__in=["ward", "commune"], valid_to__isnull=True).count() == 126
    units, users = OrgUnit.objects.count(), User.objects.count()
    assert "clerk" in output and settings.DEMO_PASSWORD in output
    seed()
    assert (OrgUnit.objects.count(), User.objects.count()) == (units, users)


def test_demo_users_and_the_2022_slice(settings, seeded):
    for username in ["clerk", "leader", "handler", "monitor", "admin"]:
        user = User.objects.get(username=username)
        assert user.area.name == "Phường Bồ Đề" and user.area.valid_to is None
        assert user.check_password(settings.DEMO_PASSWORD)
    assert User.objects.get(username="leader").is_leader
    old_ward = OrgUnit.objects.get(name__startswith="Phường Bồ Đề (quận Long Biên")
    assert old_ward.parent.name == "Quận Long Biên" and old_ward.parent.parent.name == "Thành phố Hà Nội"
    # Today's Bồ Đề staff see the records of the 2022 ward they succeeded, not other wards.
    visible = OrgUnit.objects.visible_to(User.objects.get(username="clerk"))
    assert visible.filter(pk=old_ward.pk).exists()
    assert not visible.filter(name="Phường Cầu Giấy").exists()


def test_demo_has_the_bo_de_conference_of_seed_004(seeded):
    from dialogue.demo import BO_DE_2022_TITLE
    from dialogue.models import Conference

    conference = Conference.objects.get(title=BO_DE_2022_TITLE)
    # Its notice has been issued (seed 004's four points); one point still awaits acceptance.
    assert conference.local_date.isoformat() == "2022-09-30" and conference.status == "concluded"
    notice = conference.notices.get()
    assert notice.number_label == "01-TB/ĐU" and notice.items.count() == 4
    assert sorted(str(a.deadline) for a in notice.assignments.all())[:2] == ["2022-10-10", "2022-10-30"]
    assert conference.host_area.valid_to.isoformat() == "2025-06-30"  # the old ward, under Long Biên
    petitions = conference.petitions.all()
    assert petitions.count() == 14
    assert petitions.filter(outcome="answered").count() == 5
    assert petitions.open().exists()  # some are still to be handled: the conclusions issue assigns them
    assert Conference.objects.filter(status="planned").exists()
    seed()
    assert conference.petitions.count() == 14


def test_demo_has_a_voter_meeting_of_bo_des_deputies(seeded):
    from dialogue.demo import BO_DE_VOTER_MEETING_TITLE
    from dialogue.models import Conference

    meeting = Conference.objects.voter_meetings().get(title=BO_DE_VOTER_MEETING_TITLE)
    assert meeting.host_area.name == "Phường Bồ Đề" and meeting.host_area.valid_to is None
    assert meeting.is_held and meeting.deputy_level == Conference.DeputyLevel.NATIONAL_CITY
    assert (
        meeting.forwarded_to == "Thường trực HĐND thành phố Hà Nội"
        and len(meeting.deputies.splitlines()) == 2
    )
    assert sorted(meeting.petitions.values_list("outcome", flat=True)) == [
        "answered",
        "in_authority",
        "transferred",
    ]
    seed()
    assert Conference.objects.voter_meetings().count() == 1 and meeting.petitions.count() == 3


def test_demo_register_holds_an_outside_number_a_slip_and_a_notice(seeded):
    from registers.models import RegisterEntry

    committee = OrgUnit.objects.get(name="Ủy ban nhân dân phường Bồ Đề", parent__valid_to__isnull=True)
    entries = RegisterEntry.objects.filter(body=committee, issued_on__year=2026).order_by("number")
    rows = list(entries.values_list("number", "label", "origin"))
    # The paper number first; the app's slips and notice carry on after it, in one sequence.
    assert rows[0] == (1, "01/UBND", "outside")
    assert [number for number, _label, _origin in rows] == list(range(1, len(rows) + 1))
    labels = [label for _number, label, _origin in rows]
    assert any(label.endswith("/PC-UBND") for label in labels) and any(
        label.endswith("/TB-UBND") for label in labels
    )
    seed()
    assert entries.count() == len(rows)
