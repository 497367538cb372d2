"""The instructor's monitor: commands sent per team and per member, refusals, and who joined."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Tally:
    """Commands sent, how many were refused, and the simulated time of the last one."""

    commands: int = 0
    refused: int = 0
    last_t: float | None = None

    def count(self, accepted: bool, t: float) -> None:
        self.commands += 1
        self.refused += not accepted
        self.last_t = t


@dataclass(slots=True)
class Activity(Tally):
    """A team's activity for the instructor's monitor: the team's tally, its members' own, who joined."""

    members: set[str] = field(default_factory=set)
    by_member: dict[int, Tally] = field(default_factory=dict)

    def count_command(self, accepted: bool, t: float, member_id: int | None) -> None:
        """Count a command of the team, and the member's who sent it."""
        self.count(accepted, t)
        if member_id is not None:
            self.by_member.setdefault(member_id, Tally()).count(accepted, t)
