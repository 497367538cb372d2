"""A Redis in memory with a clock the test moves: what the lease book (server.workers.leases) uses.

Keys expire when the test's clock passes their time; the two scripts the lease book sends
(renew every lease, release one) run as Redis would run them, atomically.
"""

from __future__ import annotations

import fnmatch
from collections.abc import AsyncIterator
from typing import Any

from server.workers.leases import RELEASE, RENEW_ALL


class FakeRedis:
    def __init__(self) -> None:
        self.now_ms = 0
        self.values: dict[str, str] = {}
        self.expires: dict[str, int] = {}
        self.sets: dict[str, set[str]] = {}
        self.down = False  # unreachable: every command raises

    def advance(self, ms: int) -> None:
        self.now_ms += ms

    def _check(self) -> None:
        if self.down:
            raise ConnectionError("Redis is unreachable")

    def _live(self, key: str) -> str | None:
        expiry = self.expires.get(key)
        if expiry is not None and expiry <= self.now_ms:
            self.values.pop(key, None)
            self.expires.pop(key, None)
        return self.values.get(key)

    def peek(self, key: str) -> str | None:
        """The value now, as the test sees it (even while Redis is unreachable for the workers)."""
        return self._live(key)

    async def set(self, key: str, value: str, nx: bool = False, px: int | None = None) -> bool:
        self._check()
        if nx and self._live(key) is not None:
            return False
        self.values[key] = value
        if px is None:
            self.expires.pop(key, None)
        else:
            self.expires[key] = self.now_ms + px
        return True

    async def get(self, key: str) -> str | None:
        self._check()
        return self._live(key)

    async def mget(self, keys: list[str]) -> list[str | None]:
        self._check()
        return [self._live(key) for key in keys]

    async def delete(self, *keys: str) -> int:
        self._check()
        gone = [key for key in keys if self._live(key) is not None]
        for key in gone:
            self.values.pop(key, None)
            self.expires.pop(key, None)
        return len(gone)

    async def sadd(self, key: str, *members: str) -> int:
        self._check()
        self.sets.setdefault(key, set()).update(members)
        return len(members)

    async def smembers(self, key: str) -> set[str]:
        self._check()
        return set(self.sets.get(key, set()))

    async def sismember(self, key: str, member: str) -> bool:
        self._check()
        return member in self.sets.get(key, set())

    async def scan_iter(self, match: str, count: int = 10) -> AsyncIterator[str]:
        self._check()
        for key in sorted(self.values):
            if fnmatch.fnmatchcase(key, match) and self._live(key) is not None:
                yield key

    async def eval(self, script: str, numkeys: int, *args: str) -> Any:
        self._check()
        keys, argv = list(args[:numkeys]), list(args[numkeys:])
        if script == RENEW_ALL:
            lost = []
            for key in keys:
                if self._live(key) == argv[0]:
                    self.expires[key] = self.now_ms + int(argv[1])
                else:
                    lost.append(key)
            return lost
        if script == RELEASE:
            if self._live(keys[0]) == argv[0]:
                return await self.delete(keys[0])
            return 0
        raise AssertionError(f"a script the fake does not know: {script[:40]}")
