"""Whose address a request has: the peer's, unless a proxy named in TRUSTED_PROXIES says otherwise.

Properties over any headers a client can write: with no trusted proxy (the default) the
address is always the peer's; from an untrusted peer too; from a trusted proxy it is the
right-most hop of the configured header that is not a trusted proxy, whatever the client
put to the left. A worker's signed address is believed only with the right key and while
fresh. Then a real ``salesfloor serve``: uvicorn used to believe ``X-Forwarded-For`` from
127.0.0.1, so a script on the server's host made every guess from a new address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.security.client_address import PROXY_HEADERS, ProxyTrust, WorkerSignature, parse_networks
from tests.server.processes import ServerProcess

PROXIES = parse_networks("10.0.0.0/24, 2001:db8:ffff::/48")
ipv4 = st.ip_addresses(v=4).map(str)
ipv6 = st.ip_addresses(v=6).map(str)
anything = st.text(alphabet=st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=60)
outside = st.one_of(ipv4, ipv6).filter(
    lambda a: (
        not any(ipaddress.ip_address(a) in n for n in PROXIES if n.version == ipaddress.ip_address(a).version)
    )
)
trusted_hop = st.one_of(st.integers(0, 255).map(lambda i: f"10.0.0.{i}"), st.just("2001:db8:ffff::7"))


def _written(header: str, hops: list[str]) -> str:
    """How a proxy writes these hops in ``header``."""
    if header == "Forwarded":
        return ", ".join(f'for="[{h}]"' if ":" in h else f"for={h}" for h in hops)
    return ", ".join(hops)


@settings(deadline=None, max_examples=300)
@given(
    peer=st.one_of(ipv4, ipv6), header=st.sampled_from(PROXY_HEADERS), values=st.lists(anything, max_size=4)
)
def test_with_no_trusted_proxy_the_address_is_the_peer_s(peer: str, header: str, values: list[str]) -> None:
    assert ProxyTrust((), header).client(peer, values) == peer


@settings(deadline=None, max_examples=300)
@given(peer=outside, header=st.sampled_from(PROXY_HEADERS), values=st.lists(anything, max_size=4))
def test_an_untrusted_peer_is_never_believed(peer: str, header: str, values: list[str]) -> None:
    assert ProxyTrust(PROXIES, header).client(peer, values) == peer


@settings(deadline=None, max_examples=300)
@given(
    header=st.sampled_from(["X-Forwarded-For", "Forwarded"]),
    written_by_client=st.lists(st.one_of(outside, trusted_hop), max_size=3),
    client=outside,
    chain=st.lists(trusted_hop, max_size=3),
    peer=trusted_hop,
)
def test_behind_trusted_proxies_the_address_is_the_right_most_untrusted_hop(
    header: str, written_by_client: list[str], client: str, chain: list[str], peer: str
) -> None:
    trust = ProxyTrust(PROXIES, header)
    value = _written(header, [*written_by_client, client, *chain])
    assert trust.client(peer, [value]) == str(ipaddress.ip_address(client))


@given(client=outside, peer=trusted_hop)
def test_x_real_ip_from_a_trusted_proxy_is_its_single_address(client: str, peer: str) -> None:
    assert ProxyTrust(PROXIES, "X-Real-IP").client(peer, [client]) == str(ipaddress.ip_address(client))
    assert ProxyTrust(PROXIES, "X-Forwarded-For").client(peer, []) == peer  # the header missing: the peer


def test_hops_with_ports_brackets_and_quotes_are_read() -> None:
    trust = ProxyTrust(PROXIES, "Forwarded")
    value = 'for=192.0.2.43:47011;proto=https, for="[2001:db8:cafe::17]:4711";by=10.0.0.1'
    assert trust.client("10.0.0.1", [value]) == "2001:db8:cafe::17"
    assert trust.client("10.0.0.1", ["for=unknown"]) == "10.0.0.1"  # no address: the proxy's own
    xff = ProxyTrust(PROXIES, "X-Forwarded-For")
    assert xff.client("10.0.0.1", ["198.51.100.7, 10.0.0.2", "10.0.0.3"]) == "198.51.100.7"  # two lines


def test_trusted_proxies_that_are_not_addresses_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'banana' is not an address or a network"):
        parse_networks("10.0.0.1, banana")
    assert parse_networks(" 10.0.0.1 , ,::1,192.168.0.0/16 ") == parse_networks("10.0.0.1,::1,192.168.0.0/16")


def test_a_worker_s_signature_is_believed_only_with_the_key_and_while_fresh() -> None:
    now = [1_000_000.0]
    signer = WorkerSignature("shared key", clock=lambda: now[0])
    signed = signer.sign("198.51.100.7")
    assert signer.verify(signed) == "198.51.100.7"
    assert WorkerSignature("another key", clock=lambda: now[0]).verify(signed) is None
    _, at, mac = signed.split(" ")
    assert signer.verify(f"198.51.100.8 {at} {mac}") is None  # another address, the same signature
    assert (
        signer.verify("198.51.100.7") is None and signer.verify("") is None and signer.verify("a b c") is None
    )
    now[0] += 61
    assert signer.verify(signed) is None  # too old to be replayed


# --- a real server: uvicorn's own proxy handling is off ---------------------------------------------


@pytest.fixture
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[type[ServerProcess]]:
    started: list[ServerProcess] = []

    class Started(ServerProcess):
        def __init__(self, env: dict[str, str]) -> None:
            path = tmp_path_factory.mktemp("proxy") / "salesfloor.db"
            super().__init__({"DATABASE_URL": f"sqlite:///{path}", "LOGIN_FAILURES_PER_MINUTE": "3", **env})
            started.append(self)

    yield Started
    for process in started:
        process.stop()


def _guesses(url: str, forwarded_for: list[str]) -> list[int]:
    with httpx.Client(base_url=url, timeout=10) as client:
        return [
            client.post(
                "/api/v1/session/join",
                json={"code": "WRONG000", "name": "x", "role": "sales"},
                headers={"X-Forwarded-For": address},
            ).status_code
            for address in forwarded_for
        ]


def test_a_script_on_the_server_s_host_cannot_spread_its_guesses_over_made_up_addresses(
    serve: type[ServerProcess],
) -> None:
    server = serve({})
    assert _guesses(server.url, [f"192.0.2.{i}" for i in range(5)]) == [401, 401, 401, 429, 429]


def test_a_trusted_proxy_s_forwarded_address_is_believed(serve: type[ServerProcess]) -> None:
    server = serve({"TRUSTED_PROXIES": "127.0.0.1"})
    assert _guesses(server.url, [f"192.0.2.{i}" for i in range(5)]) == [401] * 5  # five clients
    assert _guesses(server.url, ["198.51.100.1"] * 4) == [401, 401, 401, 429]  # one client
