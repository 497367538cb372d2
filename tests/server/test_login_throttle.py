"""The failed-login windows on their own: places per client and target, per target, taken before the check.

A fake clock drives them, so nothing here waits. The properties: no client ever holds more
than its cap of places within any window, nor do all addresses together for a target; a
place given back (a right credential) frees it at once; windows of different targets and
clients never touch; a known browser is counted only in its own window.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.errors import ServerError
from server.security.login_throttle import TARGETS, Client, LoginThrottle, address_key


@dataclass
class FakeClock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


def _refused(throttle: LoginThrottle, client: Client, target: str) -> ServerError:
    with pytest.raises(ServerError) as refused:
        throttle.take(client, target)
    return refused.value


def test_a_full_window_refuses_with_a_429_until_its_oldest_place_is_a_window_old() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(per_client=3, per_target=100, window=60, clock=clock)
    student = Client.at("10.0.0.7")
    for _ in range(3):
        throttle.take(student, "join").keep()
        clock.now += 10
    refusal = _refused(throttle, student, "join")
    assert refusal.status == 429 and refusal.code == "rate_limited"
    assert "join codes" in refusal.reason and "this address" in refusal.reason
    assert refusal.headers["Retry-After"] == "30"  # the first place was taken 30 s ago
    clock.now += 29.9
    _refused(throttle, student, "join")
    clock.now += 0.1
    throttle.take(student, "join").keep()  # the first place has left the window


def test_a_place_given_back_is_free_at_once() -> None:
    throttle = LoginThrottle(per_client=2, per_target=100, clock=FakeClock())
    instructor = Client.at("10.0.0.1")
    for _ in range(50):  # fifty right passwords in a row cost nothing
        throttle.take(instructor, "instructor").give_back()
    throttle.take(instructor, "instructor").keep()
    throttle.take(instructor, "instructor").keep()
    _refused(throttle, instructor, "instructor")


def test_targets_and_clients_have_windows_of_their_own() -> None:
    throttle = LoginThrottle(per_client=2, per_target=100, clock=FakeClock())
    guesser = Client.at("10.0.0.7")
    for _ in range(2):
        throttle.take(guesser, "join").keep()
    _refused(throttle, guesser, "join")
    throttle.take(guesser, "judge").keep()  # another target from the same address
    throttle.take(guesser, "instructor").keep()
    throttle.take(Client.at("10.0.0.8"), "join").keep()  # another address, the same target


def test_all_addresses_together_meet_the_target_s_ceiling() -> None:
    throttle = LoginThrottle(per_client=5, per_target=12, clock=FakeClock())
    for i in range(12):
        throttle.take(Client.at(f"10.0.1.{i}"), "instructor").keep()
    refusal = _refused(throttle, Client.at("10.0.2.1"), "instructor")
    assert "all addresses together" in refusal.reason
    throttle.take(Client.at("10.0.2.1"), "join").keep()  # other targets are not affected
    known = Client.known_browser("browser-of-the-instructor")
    throttle.take(known, "instructor").give_back()  # a known browser has its own window only


def test_an_ipv6_host_is_one_client_whatever_address_of_its_64_it_uses() -> None:
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:10.0.0.7") == address_key("10.0.0.7")
    assert address_key("testclient") == "address testclient"  # not an address: as it is


def test_an_unknown_target_is_a_programming_error() -> None:
    throttle = LoginThrottle(per_client=2, per_target=2, clock=FakeClock())
    with pytest.raises(ValueError, match="unknown login target"):
        throttle.take(Client.at("10.0.0.1"), "admin")


def test_a_concurrent_burst_gets_exactly_the_free_places() -> None:
    throttle = LoginThrottle(per_client=60, per_target=1000, clock=FakeClock())
    client = Client.at("10.0.0.7")
    start = threading.Barrier(80)
    taken: list[bool] = []
    lock = threading.Lock()

    def guess() -> None:
        start.wait()
        try:
            throttle.take(client, "join").keep()
            ok = True
        except ServerError:
            ok = False
        with lock:
            taken.append(ok)

    threads = [threading.Thread(target=guess) for _ in range(80)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert taken.count(True) == 60 and taken.count(False) == 20


# --- properties ------------------------------------------------------------------------------------

ADDRESSES = st.sampled_from(["10.0.0.1", "10.0.0.2", "10.0.0.3", "2001:db8::1", "2001:db8::2"])
STEPS = st.lists(
    st.tuples(
        ADDRESSES,
        st.sampled_from(TARGETS),
        st.booleans(),  # right (the place is given back) or wrong (kept)
        st.floats(min_value=0, max_value=40, allow_nan=False),  # seconds before this attempt
    ),
    max_size=120,
)


@settings(deadline=None, max_examples=200)
@given(steps=STEPS, per_client=st.integers(1, 6), per_target=st.integers(1, 12))
def test_no_window_ever_holds_more_failures_than_its_cap(
    steps: list[tuple[str, str, bool, float]], per_client: int, per_target: int
) -> None:
    clock = FakeClock()
    window = 60.0
    throttle = LoginThrottle(per_client, per_target, window=window, clock=clock)
    failures: list[tuple[float, str, str]] = []  # when, client key, target: the model
    for address, target, right, pause in steps:
        clock.now += pause
        client = Client.at(address)
        recent = [f for f in failures if f[0] > clock.now - window]
        own = sum(1 for _, key, t in recent if key == client.key and t == target)
        everyone = sum(1 for _, _, t in recent if t == target)
        try:
            place = throttle.take(client, target)
        except ServerError as refusal:
            assert refusal.status == 429
            assert own >= per_client or everyone >= per_target  # refused only when a window is full
            continue
        assert own < per_client and everyone < per_target  # admitted only with room in both
        if right:
            place.give_back()
        else:
            place.keep()
            failures.append((clock.now, client.key, target))
        assert throttle.failures(client, target) == own + (0 if right else 1)
