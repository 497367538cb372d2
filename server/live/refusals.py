"""The answer when the database did not take a change: a 503 saying nothing was changed."""

from __future__ import annotations

import logging

from server.errors import ServerError

log = logging.getLogger("salesfloor.live")


def database_refusal(competition_id: int, exc: Exception, what: str) -> ServerError:
    """The 503 to answer with when the database did not take ``what`` (outages log themselves)."""
    if isinstance(exc, ServerError):
        return exc
    log.error("competition %s: %s not stored: %s", competition_id, what, exc)
    return ServerError(
        "unavailable",
        f"the database did not store {what}; nothing was changed — try again",
        headers={"Retry-After": "2"},
    )
