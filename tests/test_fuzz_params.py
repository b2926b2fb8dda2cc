"""A parameter fuzz of every list and search view, for each role: no input in a query string
is a server error. (Issue 15, "In CI".)

The views are not listed by hand: every named URL pattern without arguments (the lists,
searches, reports, exports, the admin's lists and the API's lists) is found through the URL
resolver, as tests/test_denouncer_protection.py does. The parameters of each are those its
page offers (every input and select of its HTML) and, for the API, those its OpenAPI schema
lists, plus the ones every list reads (page, q). Each gets every value of NASTY, alone; and
every value is also sent in all parameters at once. Values: NUL bytes, huge, negative and
zero numbers, very long strings, impossible and far-away dates.
"""

from __future__ import annotations

import logging
import os
import re
from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from tests.conftest import data_shared_by_the_module
from tests.factories import OrgUnitFactory, ward_with_bodies
from tests.fuzz_data import fuzz_world
from tests.test_denouncer_protection import named_patterns

pytestmark = pytest.mark.django_db

NASTY = (
    "\x00",
    "9" * 30,
    "-1",
    "0",
    "x" * 5000,
    "31/02/2026",
    "01/01/0001",
    "31/12/9999",
    "2026-13-45",
)
# Sent in each parameter alone (the others left out), where one bad value cannot hide behind
# another that already made the form invalid.
ALONE = ("9" * 30, "-1", "x" * 5000, "01/01/0001", "31/12/9999")
ALWAYS = ("page", "q")
SKIPPED = ("/i18n/", "/static/", "/tai-khoan/dang-xuat/", "/quan-tri/logout/", "/api/schema/", "/api/docs/")
# A user of each role of a ward, and the widest scope; each parameter alone for the widest
# scope and the admin (whose pages are the admin's lists). FUZZ_PARAMS_ALL=1: every user,
# every parameter alone (a longer run, by hand).
EVERY_USER = bool(os.environ.get("FUZZ_PARAMS_ALL"))
ROLES = ("ward clerk", "ward leader", "ward handler", "ward monitor", "ward admin", "city leader")
ALL_USERS = (*ROLES, "city clerk", "other ward clerk")  # tests.fuzz_data.fuzz_world's users
EVERY_PARAMETER_ALONE = ("city leader", "ward admin")
NAME = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname=["']([^"']+)""")


def list_urls() -> list[str]:
    urls = []
    for name, arguments in named_patterns():
        if arguments - {"format"}:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if not url.startswith(SKIPPED) and url not in urls:
            urls.append(url)
    return urls


def api_parameters(client: Client) -> dict[str, set[str]]:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    found = {}
    for path, operations in schema["paths"].items():
        names = {p["name"] for p in operations.get("get", {}).get("parameters", []) if p["in"] == "query"}
        found[path] = names
    return found


def parameters_of(response, url: str, api: dict[str, set[str]]) -> list[str]:
    names = set(ALWAYS) | api.get(url, set())
    if "html" in response.get("Content-Type", ""):
        names |= set(NAME.findall(response.content.decode("utf-8", "replace")))
    return sorted(names - {"csrfmiddlewaretoken", "next"})


def fuzz_role(client: Client, urls: list[str], api: dict, alone: bool) -> tuple[int, dict[str, int]]:
    calls, errors = 0, {}
    for url in urls:
        first = client.get(url)
        calls += 1
        if first.status_code >= 500:
            errors[url] = first.status_code
        if first.status_code != 200:
            continue  # not this role's page: its parameters are never read
        names = parameters_of(first, url, api)
        queries = [dict.fromkeys(names, value) for value in NASTY]
        if alone:
            queries += [{name: value} for name in names for value in ALONE]
            # A searched list pages differently (it is not counted first): a huge page there.
            queries += [{"q": "đất", "page": value} for value in ALONE]
        for query in queries:
            response = client.get(f"{url}?{urlencode(query)}")
            calls += 1
            if response.status_code >= 500:
                errors[f"{url}?{urlencode(query)[:120]}"] = response.status_code
    return calls, errors


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> dict:
    """Built once for the module (the fuzz only reads; what a request adds is rolled back
    after each role's test)."""

    def build() -> dict:
        city = OrgUnitFactory(name="Thành phố Hà Nội", kind="city", symbol="TP")
        return fuzz_world(ward_with_bodies(city, "Bồ Đề"), ward_with_bodies(city, "Cầu Giấy"))

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield from data_shared_by_the_module(django_db_blocker, build)


@pytest.fixture(scope="module")
def targets(world, django_db_blocker) -> dict:
    """The views (through the resolver) and the API's query parameters (its schema), found
    once for every role."""
    with django_db_blocker.unblock():
        schema_reader = Client(raise_request_exception=False)
        schema_reader.force_login(
            world["users"]["ward clerk"], backend="django.contrib.auth.backends.ModelBackend"
        )
        return {"urls": list_urls(), "api": api_parameters(schema_reader)}


# One test per role, so that the roles share the work of two processes (make test's xdist).
# The roles that send every parameter alone take the longest: they are given out first.
FUZZED = (
    *sorted(ALL_USERS if EVERY_USER else ROLES, key=lambda role: role not in EVERY_PARAMETER_ALONE),
    "the public",
)


def test_the_fuzz_covers_every_list_and_user(world, targets):
    assert len(targets["urls"]) > 40  # the resolver was walked
    assert set(ALL_USERS) == set(world["users"])


@pytest.mark.parametrize("role", FUZZED)
def test_no_parameter_of_any_list_is_a_server_error(world, targets, role, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")
    client = Client(raise_request_exception=False)
    if role != "the public":
        client.force_login(world["users"][role], backend="django.contrib.auth.backends.ModelBackend")
    alone = EVERY_USER or role in EVERY_PARAMETER_ALONE
    calls, errors = fuzz_role(client, targets["urls"], targets["api"], alone=alone)
    print(f"Parameter fuzz: {len(targets['urls'])} views as {role}, {calls} calls")
    print(*sorted(errors), sep="\n    ")
    assert errors == {}
