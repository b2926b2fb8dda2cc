"""manage.py setup_office: from an empty database to an office with its ward, bodies, first
admin and reference data."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import OrgUnit, User
from petitions.models import Category, StatutoryRule

pytestmark = pytest.mark.django_db
FLAGS = {"province": "01", "ward": "hoan kiem", "username": "quantri", "full_name": "Nguyễn Văn Quản"}


def run(**options) -> str:
    out = io.StringIO()
    call_command("setup_office", no_input=True, stdout=out, **{**FLAGS, **options})
    return out.getvalue()


def test_with_flags_the_office_gets_its_ward_bodies_admin_and_defaults():
    Category.objects.all().delete()
    StatutoryRule.objects.all().delete()
    out = run(password="Mat-khau-dai-2026", email="qt@hoankiem.vn")
    ward = OrgUnit.objects.get(code="00070", valid_to=None)
    assert ward.parent.code == "01" and OrgUnit.objects.areas().filter(parent=ward.parent).count() == 126
    kinds = set(OrgUnit.objects.bodies().filter(area=ward).values_list("kind", flat=True))
    assert {"party_committee", "peoples_committee", "fatherland_front", "police"} <= kinds
    admin = User.objects.get(username="quantri")
    assert admin.is_sysadmin and admin.area == ward and admin.check_password("Mat-khau-dai-2026")
    assert admin.agency.name == "Văn phòng HĐND và UBND phường Hoàn Kiếm"
    assert Category.objects.count() == 13 and StatutoryRule.objects.exists()
    assert "Việc còn thiếu" in out

    bodies, users = OrgUnit.objects.count(), User.objects.count()
    run()  # again: nothing new, the password kept
    assert (OrgUnit.objects.count(), User.objects.count()) == (bodies, users)
    admin.refresh_from_db()
    assert admin.check_password("Mat-khau-dai-2026")


def test_without_a_password_the_admin_gets_a_one_time_link():
    out = run()
    assert "/tai-khoan/dat-mat-khau/" in out
    assert not User.objects.get(username="quantri").has_usable_password()


def test_missing_or_wrong_answers_stop_with_a_message_and_no_admin():
    with pytest.raises(CommandError, match="Thiếu --username"):
        run(username=None)
    with pytest.raises(CommandError, match="không chỉ ra đúng một phường"):
        run(ward="phuong tay")  # Tây Hồ, Tây Mỗ, Tây Tựu…
    with pytest.raises(CommandError, match="quá ngắn"):
        run(password="short")
    assert not User.objects.exists()


def test_interactive_questions(monkeypatch):
    answers = iter(["01", "phuong tay", "tay ho", "quantri", "Nguyễn Văn Quản"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr(
        "accounts.management.commands.setup_office.getpass", lambda prompt: "Mat-khau-dai-2026"
    )
    call_command("setup_office", stdout=io.StringIO())
    admin = User.objects.get(username="quantri")
    assert admin.area.name == "Phường Tây Hồ" and admin.check_password("Mat-khau-dai-2026")
