"""Checking the instructor's password off the event loop, a few at a time.

A check is PBKDF2-SHA256 with 200,000 iterations: about 80 ms of a core. On the event loop a
burst of logins would stall every page and command; on the shared thread pool forty could
run at once and take every core (the GIL is released while hashing). Here checks run on an
executor of their own — ``workers`` threads, half the cores and at least one — at most
``waiting`` more wait their turn, and any beyond are refused at once with a 503 and
``Retry-After: 1`` (such a refusal counts as no attempt: the caller gives its place back).
"""

from __future__ import annotations

import asyncio
import hmac
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from server.errors import ServerError
from server.security.auth import password_hash

THREAD_NAME = "salesfloor-password"


def default_workers() -> int:
    return max(1, (os.cpu_count() or 2) // 2)


class PasswordChecks:
    """Password checks on a bounded executor (see the module docstring)."""

    def __init__(
        self,
        workers: int | None = None,
        waiting: int = 16,
        hash_function: Callable[[str, str], str] = password_hash,
    ) -> None:
        self.workers = workers or default_workers()
        self.waiting = waiting
        self.hash_function = hash_function
        self.executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix=THREAD_NAME)
        self.in_flight = 0  # checks running or waiting; only the event loop's thread changes it

    async def matches(self, password: str, salt: str, expected: str) -> bool:
        """Whether ``password`` hashes to ``expected``; a 503 when too many checks are under way."""
        if self.in_flight >= self.workers + self.waiting:
            raise ServerError(
                "unavailable",
                "the server is checking too many passwords at once; try again in a second",
                headers={"Retry-After": "1"},
            )
        self.in_flight += 1
        try:
            loop = asyncio.get_running_loop()
            digest = await loop.run_in_executor(self.executor, self.hash_function, password, salt)
        finally:
            self.in_flight -= 1
        return hmac.compare_digest(digest, expected)

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
