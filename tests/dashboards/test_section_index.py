"""Trap 8 of issue 19: /theo-doi/ and /theo-doi/bao-cao/ answered 404 although the README
names them. Every page the README names answers 200 to a user who may open it, and the
section indexes list only the pages the user's roles open."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve

from tests.conftest import login

README = Path(settings.BASE_DIR) / "README.md"
# A path in backticks, without a method before it: `POST /api/v1/auth/token/` is not a page.
NAMED_PATH = re.compile(r"`(/[^`\s]*)`")


PLACEHOLDER = re.compile(r"<[^>]+>")


def readme_paths(*, patterns: bool = False) -> list[str]:
    """The pages the README names; with `patterns`, the addresses it names with a placeholder
    (`/cong-khai/van-ban/<code>/`), which are no page of their own."""
    named = set(NAMED_PATH.findall(README.read_text(encoding="utf-8")))
    return sorted(path for path in named if bool(PLACEHOLDER.search(path)) == patterns)


def test_the_readme_names_the_section_indexes():
    assert {"/theo-doi/", "/theo-doi/bao-cao/"} <= set(readme_paths())


@pytest.mark.django_db
@pytest.mark.parametrize("path", readme_paths())
def test_every_page_the_readme_names_answers_200(path, make_user):
    # A leader who is also the site's administrator: the one user every named page admits.
    user = make_user("leader", "clerk", "admin", is_superuser=True, is_staff=True)
    client = login(user)
    if path == "/tai-khoan/dang-nhap/":
        client.logout()
    response = client.get(path, follow=True)
    assert response.status_code == 200, (path, response.redirect_chain)


@pytest.mark.parametrize("pattern", readme_paths(patterns=True))
def test_every_address_pattern_the_readme_names_is_routed(pattern):
    """A placeholder filled with a sample value reaches a view (which then decides 404 or not)."""
    resolve(PLACEHOLDER.sub("ABCDEFGH23", pattern))


@pytest.mark.django_db
def test_monitoring_index_lists_what_a_monitor_opens(make_user):
    monitor = make_user("monitor")
    page = login(monitor).get("/theo-doi/").content.decode()
    assert 'href="/theo-doi/giam-sat/"' in page
    assert 'href="/theo-doi/qua-han/"' in page  # monitors review overdue work too


@pytest.mark.django_db
def test_reports_index_leaves_out_what_the_role_cannot_open(make_user):
    handler_page = login(make_user("handler")).get("/theo-doi/bao-cao/").content.decode()
    clerk_page = login(make_user("clerk")).get("/theo-doi/bao-cao/").content.decode()
    assert 'href="/theo-doi/bao-cao/dinh-ky/"' not in handler_page
    assert 'href="/theo-doi/bao-cao/dinh-ky/"' in clerk_page
    assert 'href="/theo-doi/bao-cao/thong-ke/"' in handler_page


@pytest.mark.django_db
def test_section_indexes_are_for_signed_in_staff(client):
    for path in ("/theo-doi/", "/theo-doi/bao-cao/"):
        response = client.get(path)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
