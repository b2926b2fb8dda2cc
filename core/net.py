"""The client's address, for the public lookup limit and the login lock (django-axes).

Behind a reverse proxy, REMOTE_ADDR is the proxy's: every citizen would share one lookup
allowance and one person's wrong passwords would lock a user for everyone. X-Forwarded-For
carries the client's address, but a client can write any address in it, so it is read only
through the proxies this site trusts (settings.TRUSTED_PROXIES):

- a number N: exactly N proxies stand in front of the application, each appending the address
  it received from to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for): the client is the
  N-th address from the right, counting REMOTE_ADDR as the first;
- a list of addresses or networks: hops are walked from REMOTE_ADDR leftwards while they are
  trusted proxies; the first untrusted one is the client.

0 (the default) or an empty list: REMOTE_ADDR alone, X-Forwarded-For is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:  # settings import this module: nothing heavier than django.conf at import
    from django.http import HttpRequest


def parse_trusted_proxies(value: str) -> int | tuple[str, ...]:
    """'2' → 2; '10.0.0.5, 10.1.0.0/16' → ('10.0.0.5', '10.1.0.0/16'); '' → 0. Bad entries raise
    ValueError at start-up, not on the first request."""
    value = value.strip()
    if not value:
        return 0
    if value.isdigit():
        return int(value)
    entries = tuple(entry.strip() for entry in value.split(",") if entry.strip())
    for entry in entries:
        ipaddress.ip_network(entry, strict=False)
    return entries


@cache
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _is_trusted(address: str, networks: tuple) -> bool:
    return _valid(address) and any(ipaddress.ip_address(address) in network for network in networks)


def _client_hop(hops: list[str], trusted) -> int:
    """The index of the client's hop: as many hops from the right as there are proxies (a
    number), or the rightmost hop that is not one of the trusted proxies (networks)."""
    if isinstance(trusted, int):
        # More proxies than hops: the request did not come through all of them; the leftmost
        # hop is the nearest thing to a client we have.
        return max(len(hops) - 1 - trusted, 0)
    networks = _networks(tuple(trusted))
    return next((i for i in range(len(hops) - 1, -1, -1) if not _is_trusted(hops[i], networks)), 0)


def client_ip(request: HttpRequest) -> str:
    """A valid address, or "" when the request has none (an internal request). A hop that is
    not an address (a broken or forged header) is passed over for the nearest valid hop on its
    right: the proxy that reported it."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = getattr(settings, "TRUSTED_PROXIES", 0)
    if not trusted or not _valid(remote):
        return remote if _valid(remote) else ""
    forwarded = [
        hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()
    ]
    hops = [*forwarded, remote]  # oldest (the client, as it claims) first
    chosen = _client_hop(hops, trusted)
    if _valid(hops[chosen]):
        return hops[chosen]
    return next(hop for hop in reversed(hops[chosen:]) if _valid(hop))  # REMOTE_ADDR at worst


def axes_client_ip(request: HttpRequest) -> str | None:
    """django-axes stores the address in an IP field: None when there is none."""
    return client_ip(request) or None
