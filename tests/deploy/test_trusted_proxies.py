"""Issue 20, failure 4: behind a reverse proxy every citizen shared one lookup allowance
and one person's wrong passwords locked a user for everyone. The client's address is read
from X-Forwarded-For only through the trusted proxies (core/net.py), both ways: trusted, each
client counts apart; not trusted, a forged header changes nothing."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from core.net import client_ip, parse_trusted_proxies
from public_pages import views as public_views
from tests.factories import UserFactory

PROXY = "10.0.0.2"
PASSWORD = "mat-khau-thu-nghiem-9"


def request(remote: str, forwarded: str = ""):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "client"),
    [
        (0, PROXY, "203.0.113.7", PROXY),  # not trusted: the header is ignored
        (1, PROXY, "203.0.113.7", "203.0.113.7"),
        (1, PROXY, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client's own forgery is left of it
        (2, "10.0.0.3", "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, PROXY, "", PROXY),  # fewer hops than proxies: the leftmost
        (("10.0.0.0/24",), PROXY, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (("10.0.0.0/24",), "10.0.0.3", "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (("10.0.0.2",), "198.51.100.4", "203.0.113.7", "198.51.100.4"),  # not from our proxy
    ],
)
def test_client_address(settings, trusted, remote, forwarded, client):
    settings.TRUSTED_PROXIES = trusted
    assert client_ip(request(remote, forwarded)) == client


def test_setting_parses_a_count_or_addresses():
    assert parse_trusted_proxies("") == 0
    assert parse_trusted_proxies("1") == 1
    assert parse_trusted_proxies("10.0.0.5, 10.1.0.0/16") == ("10.0.0.5", "10.1.0.0/16")
    with pytest.raises(ValueError):
        parse_trusted_proxies("proxy.local")


def via_proxy(client_address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


@pytest.fixture
def limit_of_two(monkeypatch):
    monkeypatch.setattr(public_views, "TRACKING_LIMIT", 2)
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_lookup_limit_per_citizen_behind_a_trusted_proxy(settings, limit_of_two):
    settings.TRUSTED_PROXIES = 1
    track = reverse("public:track")
    first = via_proxy("203.0.113.7")
    assert [first.get(track, {"ma": "ABCDE-23456"}).status_code for _ in range(3)] == [404, 404, 429]
    assert via_proxy("198.51.100.9").get(track, {"ma": "ABCDE-23456"}).status_code == 404  # another citizen


@pytest.mark.django_db
def test_forged_header_without_trusted_proxies_gains_nothing(settings, limit_of_two):
    settings.TRUSTED_PROXIES = 0
    track = reverse("public:track")
    statuses = [via_proxy(f"203.0.113.{n}").get(track, {"ma": "ABCDE-23456"}).status_code for n in range(3)]
    assert statuses == [404, 404, 429]  # one address, whatever the header says


def login_attempt(client_address: str, username: str, password: str):
    return via_proxy(client_address).post(
        reverse("accounts:login"), {"username": username, "password": password}
    )


@pytest.mark.django_db
def test_wrong_passwords_lock_only_that_client_behind_a_trusted_proxy(ward, settings):
    settings.TRUSTED_PROXIES = 1
    UserFactory(username="thuha", agency=ward.bodies["UBND"], is_clerk=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_attempt("203.0.113.66", "thuha", "sai-mat-khau")
    assert login_attempt("203.0.113.66", "thuha", PASSWORD).status_code == 429
    assert login_attempt("198.51.100.9", "thuha", PASSWORD).status_code == 302  # the real user elsewhere


@pytest.mark.django_db
def test_forged_header_does_not_escape_the_lock(ward, settings):
    settings.TRUSTED_PROXIES = 0
    UserFactory(username="thuha", agency=ward.bodies["UBND"], is_clerk=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        login_attempt(f"203.0.113.{n}", "thuha", "sai-mat-khau")
    assert login_attempt("198.51.100.9", "thuha", PASSWORD).status_code == 429


def test_a_hop_that_is_no_address_gives_the_proxy_that_reported_it(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_ip(request(PROXY, "<script>")) == PROXY
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) == ""  # an internal request
