"""The answer when the database did not take a change: a 503 saying nothing was changed.

A change refused because another worker has taken the competition over (``StaleOwner``, see
server.persistence.store.fencing) also stops this process (``WriteBehind.refused``) and is
answered with a 503 that sends the client to try again, by then at the new owner: every write
of a competition's state by the worker running it goes through ``owner_write``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from server.errors import ServerError
from server.live.write_behind import WriteBehind
from server.persistence.store.fencing import StaleOwner

log = logging.getLogger("salesfloor.live")

MOVED = "this competition has moved to another worker; nothing was changed — try again in a moment"


def database_refusal(competition_id: int, exc: Exception, what: str) -> ServerError:
    """The 503 to answer with when the database did not take ``what`` (outages log themselves)."""
    if isinstance(exc, ServerError):
        return exc
    if isinstance(exc, StaleOwner):
        return moved()  # the process stops with its own critical line
    log.error("competition %s: %s not stored: %s", competition_id, what, exc)
    return ServerError(
        "unavailable",
        f"the database did not store {what}; nothing was changed — try again",
        headers={"Retry-After": "2"},
    )


def moved() -> ServerError:
    """The 503 of a change another worker now owns (nothing of it was written)."""
    return ServerError("unavailable", MOVED, headers={"Retry-After": "2"})


def stale_refusal(writer: WriteBehind, exc: StaleOwner) -> ServerError:
    """Stop this process (another worker owns the competition now) and answer with ``moved``."""
    writer.refused(exc)
    return moved()


@contextmanager
def owner_write(writer: WriteBehind) -> Iterator[int | None]:
    """Around a write of the competition's state: gives the owner epoch to write with (None with
    one process: no check); a stale one stops the process and the write is answered ``moved``."""
    try:
        yield writer.epoch
    except StaleOwner as exc:
        raise stale_refusal(writer, exc) from None
