"""One permission decision: `User.has_role` lets an active superuser act in every office role
(as Django's has_perm does), and nothing else restates it. `holds_role` is the role given to
the person, for the rules a law names by office (a denouncer's identity)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.permissions import acts_for_area
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "conclusions", "core", "dashboards", "dialogue", "petitions", "public_pages")


def test_an_active_superuser_acts_in_every_role_but_holds_none(ward):
    boss = UserFactory(agency=ward.bodies["UBND"], is_superuser=True)
    assert all(boss.has_role(role) for role in Role)
    assert not any(boss.holds_role(role) for role in Role)
    boss.is_active = False
    assert not boss.has_role(*Role)


def test_a_role_holder_acts_in_that_role_only(make_user):
    clerk = make_user("clerk")
    assert clerk.has_role(Role.CLERK) and clerk.holds_role(Role.CLERK)
    assert not clerk.has_role(Role.LEADER, Role.MONITOR)
    clerk.is_active = False
    assert not clerk.has_role(Role.CLERK) and not clerk.holds_role(Role.CLERK)


def test_acts_for_area_asks_has_role_and_the_scope(ward, other_ward):
    boss = UserFactory(agency=ward.bodies["UBND"], is_superuser=True)
    assert acts_for_area(boss, ward, Role.LEADER)
    assert not acts_for_area(boss, other_ward, Role.LEADER)  # the role passes, the scope does not


def test_role_required_lets_a_superuser_in_and_refuses_no_role(ward):
    boss = UserFactory(agency=ward.bodies["UBND"], is_superuser=True)
    nobody = UserFactory(agency=ward.bodies["UBND"])
    url = reverse("petitions:written_create")  # clerks and leaders
    assert login(boss).get(url).status_code == 200
    assert login(nobody).get(url).status_code == 403


def test_no_code_restates_the_superuser_rule():
    """`is_superuser or has_role(...)` (and its mirror) is written nowhere: has_role decides."""
    restated = re.compile(r"is_superuser\s+or\b[^\n]*has_role|has_role\([^)]*\)\s+or\s+[\w.]*is_superuser")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if restated.search(line)
    ]
    assert found == []


def test_templates_ask_acts_as_for_roles(ward, make_user):
    """The templates learn the roles from `acts_as` (accounts.context_processors), decided by
    has_role: a superuser sees what every role sees, a clerk only the clerk's entries."""
    boss = UserFactory(agency=ward.bodies["UBND"], is_superuser=True)
    clerk = make_user("clerk")
    boss_roles = login(boss).get(reverse("home")).context["acts_as"]
    clerk_roles = login(clerk).get(reverse("home")).context["acts_as"]
    assert all(boss_roles[role] for role in Role) and boss_roles["any"]
    assert clerk_roles == {**{role.value: role == Role.CLERK for role in Role}, "any": True}


def test_no_template_spells_a_role_or_the_superuser_rule():
    """`user.is_superuser or user.is_clerk` in a template would decide a permission again."""
    spelled = re.compile(r"user\.(is_superuser|is_clerk|is_leader|is_handler|is_monitor|is_sysadmin|roles)\b")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "templates").rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if spelled.search(line)
    ]
    assert found == []
