"""How long a session lasts: until it goes unused for a class day, and a grace period after its competition.

- Idle: a session unused for ``SESSION_IDLE_HOURS`` (12) has expired. Each use moves its last
  use on; the server stores that at most every 1/24 of the idle time, so a member sending
  commands does not write a row per command (the expiry is exact to within that).
- End: a judge's or a member's session ends ``SESSION_GRACE_HOURS`` (24) after its
  competition finished — time for the debrief and the reports. The instructor's session
  belongs to no competition and only expires idle.

An expired session is refused with a 401 whose code is ``session_expired``, whose ``why`` is
``idle`` or ``finished`` and whose reason says which; the pages show their login again with a
message for each, in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.persistence.db.tables import SessionRow

HOUR = 3600.0


def duration(seconds: float) -> str:
    """12 h, 90 min, 30 s: a duration as people say it."""
    if seconds >= 2 * HOUR or (seconds >= HOUR and seconds % HOUR == 0):
        return f"{seconds / HOUR:g} h"
    if seconds >= 60:
        return f"{round(seconds / 60)} min"
    return f"{round(seconds)} s"


@dataclass(frozen=True, slots=True)
class Ending:
    """Why a session ended: ``why`` for programs and pages (idle | finished), ``reason`` for people."""

    why: str
    reason: str


@dataclass(frozen=True, slots=True)
class SessionLife:
    """The two limits, in seconds."""

    idle: float
    grace: float

    @classmethod
    def of_hours(cls, idle_hours: float, grace_hours: float) -> SessionLife:
        return cls(idle_hours * HOUR, grace_hours * HOUR)

    @staticmethod
    def last_use(row: SessionRow) -> float:
        return row.last_seen_at if row.last_seen_at is not None else row.created_at

    def ended(self, row: SessionRow, finished_at: float | None, now: float) -> Ending | None:
        """Why the session has ended by ``now`` (its competition finished at ``finished_at``), or None."""
        if row.competition_id is not None and finished_at is not None and now >= finished_at + self.grace:
            return Ending(
                "finished",
                f"your session ended: the competition finished and sessions last {duration(self.grace)} "
                "after the end; the instructor has the results",
            )
        if now >= self.last_use(row) + self.idle:
            return Ending(
                "idle", f"your session expired: it was not used for {duration(self.idle)}; log in again"
            )
        return None

    def stale(self, row: SessionRow, now: float) -> bool:
        """Whether to store ``now`` as the session's last use."""
        return now - self.last_use(row) >= self.idle / 24
