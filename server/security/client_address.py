"""Who is asking: the peer's address, or the one a trusted proxy or a forwarding worker names.

The address is what failed logins are counted by (server/security/login_throttle.py). By default it is
the peer of the connection, whatever the request's headers say: ``X-Forwarded-For``,
``Forwarded`` and ``X-Real-IP`` can be written by anybody, a script on the server's own host
(127.0.0.1) included. Behind a reverse proxy, name the proxy in ``TRUSTED_PROXIES``
(addresses or networks) and the header it sets in ``PROXY_HEADER``: for a request whose peer
is a trusted proxy, the address is then the right-most one in that header that is not a
trusted proxy itself (a client may write anything to the left of what the proxies append).
The other two headers are never read.

Several workers: a worker that forwards a request to the owner of the competitions names the
client's address in ``X-Salesfloor-Client``, signed with a key the workers share through the
database (HMAC-SHA256 of the address and the time); the owner believes it only with a valid
signature at most a minute old, from whichever peer.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from starlette.requests import HTTPConnection

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")
FORWARDED_BY_WORKER = "x-salesfloor-client"
SIGNATURE_AGE = 60.0  # seconds a worker's signed address stays good


def parse_networks(text: str) -> tuple[Network, ...]:
    """``"10.0.0.1, 192.168.0.0/16, ::1"`` → networks; a ValueError naming the entry that is not one."""
    networks = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"{entry!r} is not an address or a network; write e.g. "
                "10.0.0.5, 10.1.0.0/16 or ::1, separated by commas"
            ) from None
    return tuple(networks)


def _host(hop: str) -> str:
    """The address in one hop of a proxy header: quotes, brackets and a port taken off."""
    hop = hop.strip().strip('"').strip()
    if hop.startswith("["):  # [2001:db8::1]:4711
        return hop[1 : hop.find("]")] if "]" in hop else hop[1:]
    if hop.count(":") == 1:  # 192.0.2.1:8080
        return hop.split(":", 1)[0]
    return hop


def _forwarded_for(value: str) -> list[str]:
    """The ``for=`` of each element of an RFC 7239 ``Forwarded`` header, in order."""
    hops = []
    for element in value.split(","):
        for pair in element.split(";"):
            name, _, content = pair.partition("=")
            if name.strip().lower() == "for":
                hops.append(content)
    return hops


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class ProxyTrust:
    """The reverse proxies whose ``header`` is believed (none by default)."""

    networks: tuple[Network, ...] = ()
    header: str = "X-Forwarded-For"

    def trusts(self, host: str) -> bool:
        address = _address(host)
        if address is None:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self.networks)

    def hops(self, values: Sequence[str]) -> list[str]:
        """The addresses the header names, left (the first client) to right (the nearest proxy)."""
        joined = ",".join(values)
        if self.header.lower() == "forwarded":
            raw = _forwarded_for(joined)
        elif self.header.lower() == "x-real-ip":
            raw = [joined.split(",")[-1]] if joined.strip() else []
        else:
            raw = joined.split(",")
        return [host for host in (_host(hop) for hop in raw) if host]

    def client(self, peer: str, header_values: Sequence[str]) -> str:
        """The client's address for a connection from ``peer`` carrying these values of the header."""
        if not self.networks or not self.trusts(peer):
            return peer
        hops = self.hops(header_values)
        for hop in reversed(hops):
            if self.trusts(hop):
                continue
            named = _address(hop)
            return str(named) if named is not None else peer  # "unknown", "_hidden": the proxy's
        return hops[0] if hops else peer  # every hop a trusted proxy: the first one


class WorkerSignature:
    """Signs and checks the client address one worker passes to another (``X-Salesfloor-Client``)."""

    def __init__(self, key: str, clock: Callable[[], float] = time.time) -> None:
        self.key, self.clock = key.encode(), clock

    def _mac(self, address: str, at: str) -> str:
        return hmac.new(self.key, f"{address} {at}".encode(), hashlib.sha256).hexdigest()

    def sign(self, address: str) -> str:
        at = str(int(self.clock()))
        return f"{address} {at} {self._mac(address, at)}"

    def verify(self, value: str) -> str | None:
        """The address a worker signed, or None (no signature, a wrong one, or older than a minute)."""
        parts = value.split(" ")
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        address, at, mac = parts
        if abs(self.clock() - int(at)) > SIGNATURE_AGE:
            return None
        return address if hmac.compare_digest(mac, self._mac(address, at)) else None


def address_of(connection: HTTPConnection) -> str:
    """The client's address for a request or a websocket, as the module docstring says."""
    state = connection.app.state
    peer = connection.client.host if connection.client else "unknown"
    signature: WorkerSignature | None = getattr(state, "worker_signature", None)
    named = connection.headers.get(FORWARDED_BY_WORKER)
    if named and signature is not None:
        address = signature.verify(named)
        if address is not None:
            return address
    trust: ProxyTrust = getattr(state, "proxy_trust", None) or ProxyTrust()
    return trust.client(peer, connection.headers.getlist(trust.header))
