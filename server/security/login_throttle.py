"""Failed logins: a window per client and target, and one per target; a place taken before the check.

A login names its *target* by its route: the instructor's password, a judge code or a join
code. A failed attempt holds a place for ``window`` seconds in two sliding windows: its
client's for that target (``per_client`` places; the client is an address — an IPv6 one by
its /64 — or a browser the instructor has logged in on before, see server/security/known_browser.py)
and the target's own, shared by every address (``per_target`` places, against guessing from
many addresses; a known browser is counted only in its own window). When either window is
full, the attempt is refused with a 429 and ``Retry-After``.

A place is *taken before* the credential is checked and given back when the credential was
right (or was not checked after all), in one step under a lock, so a burst of concurrent
guesses gets exactly the free places: none is checked beyond the cap. Guessing join codes
therefore never touches the instructor's or the judges' windows. Which attempts may be
checked without a place (the codes, whose right value passes whatever the windows hold) is
the login routes' decision, explained in docs/security.md, section 4.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from server.errors import ServerError

log = logging.getLogger("salesfloor.login")

TARGETS = ("instructor", "judge", "join")
WHAT = {"instructor": "instructor passwords", "judge": "judge codes", "join": "join codes"}
MAX_KEYS = 4096  # beyond this many windows, the empty ones are forgotten


def address_key(address: str) -> str:
    """The client key of an address: an IPv4 address, an IPv6 /64 (one host holds a whole /64)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return f"address {address}"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return f"address {parsed.ipv4_mapped}"
        return f"address {ipaddress.IPv6Network((parsed, 64), strict=False)}"
    return f"address {parsed}"


@dataclass(frozen=True, slots=True)
class Client:
    """Who makes an attempt, for counting: ``key`` names its window; ``shared`` also counts it per target."""

    key: str
    shared: bool = True

    @classmethod
    def at(cls, address: str) -> Client:
        return cls(address_key(address))

    @classmethod
    def known_browser(cls, browser_id: str) -> Client:
        return cls(f"browser {browser_id}", shared=False)


class Place:
    """A place taken in the windows: ``give_back()`` if the credential was right, else it stays."""

    def __init__(self, throttle: LoginThrottle, windows: tuple[deque[float], ...], at: float) -> None:
        self._throttle, self._windows, self._at = throttle, windows, at
        self._settled = False

    def give_back(self) -> None:
        with self._throttle.lock:
            if not self._settled:
                for times in self._windows:
                    if self._at in times:
                        times.remove(self._at)
        self._settled = True

    def keep(self) -> None:
        """A failure: the place stays until it is ``window`` seconds old."""
        self._settled = True


class LoginThrottle:
    """Sliding windows of failed logins (see the module docstring)."""

    def __init__(
        self,
        per_client: int,
        per_target: int,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_client, self.per_target, self.window = per_client, per_target, window
        self.clock = clock
        self.lock = threading.Lock()  # the code logins run in the thread pool
        self.clients: dict[tuple[str, str], deque[float]] = {}
        self.targets: dict[str, deque[float]] = {target: deque() for target in TARGETS}
        self.reported: dict[tuple[str, str], float] = {}  # a full window is logged once

    def take(self, client: Client, target: str) -> Place:
        """A place for one attempt on ``target``; a 429 if the client's or the target's window is full."""
        if target not in self.targets:
            raise ValueError(f"unknown login target {target!r}; one of {', '.join(TARGETS)}")
        now = self.clock()
        with self.lock:
            if len(self.clients) > MAX_KEYS:
                self._forget_empty(now)
            own = self._current(self.clients.setdefault((client.key, target), deque()), now)
            if len(own) >= self.per_client:
                raise self._refusal(client, target, own, now, everyone=False)
            windows: tuple[deque[float], ...] = (own,)
            if client.shared:
                everyone = self._current(self.targets[target], now)
                if len(everyone) >= self.per_target:
                    raise self._refusal(client, target, everyone, now, everyone=True)
                windows = (own, everyone)
            for times in windows:
                times.append(now)
            return Place(self, windows, now)

    def failures(self, client: Client, target: str) -> int:
        """How many places the client holds for ``target`` now."""
        with self.lock:
            times = self.clients.get((client.key, target))
            return len(self._current(times, self.clock())) if times is not None else 0

    def _current(self, times: deque[float], now: float) -> deque[float]:
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def _forget_empty(self, now: float) -> None:
        for key in list(self.clients):
            if not self._current(self.clients[key], now):
                del self.clients[key]
        for key, at in list(self.reported.items()):
            if at <= now - self.window:
                del self.reported[key]

    def _refusal(
        self, client: Client, target: str, times: deque[float], now: float, *, everyone: bool
    ) -> ServerError:
        wait = max(1, math.ceil(times[0] + self.window - now))  # then the oldest place is gone
        full = ("everyone", target) if everyone else (client.key, target)
        if self.reported.get(full, -self.window) <= now - self.window:  # one log line per window
            self.reported[full] = now
            log.warning(
                "login: %d wrong %s from %s within %.0f s; more are refused (429) for %d s",
                len(times),
                WHAT[target],
                "all addresses together" if everyone else client.key,
                self.window,
                wait,
            )
        where = (
            "from all addresses together"
            if everyone
            else ("from this address" if client.shared else "from this browser")
        )
        checked = "password" if target == "instructor" else "code"
        return ServerError(
            "rate_limited",
            f"too many wrong {WHAT[target]} {where}; wait {wait} s and check the {checked}",
            headers={"Retry-After": str(wait)},
        )
