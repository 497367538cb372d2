"""Publishing a live competition: its events, boards and status on every channel.

Events go out at once. Boards (standings) go out at most five times a second, each encoded
once for all channels: a busy class changes them at nearly every event, and a projector needs
a few a second, not hundreds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from market.events import Event
from server.live.scores import LiveScores
from server.wire.channels import CompetitionChannels

BOARD_INTERVAL = 0.2
"""Boards (standings) go out at most this often."""

Boards = Callable[[], tuple[float, list[dict[str, Any]], list[dict[str, Any]]]]
"""The moment and the boards to send then: (simulated time, live rows, public rows)."""


class Publisher:
    """What a live competition sends on its channels, with the boards throttled."""

    def __init__(
        self,
        channels: CompetitionChannels,
        team_names: Callable[[], list[str]],
        scores: LiveScores,
        boards: Boards,
        status: Callable[[], dict[str, Any]],
    ) -> None:
        self.channels = channels
        self.team_names = team_names  # the teams may change before the start
        self.scores = scores
        self.boards = boards
        self.status = status
        self.board_sent_at = -BOARD_INTERVAL  # when boards last went out (monotonic seconds)
        self.board_due: asyncio.TimerHandle | None = None

    def events(self, events: list[Event]) -> None:
        self.channels.events(events, self.team_names(), self.scores.hides)

    def standings(self, at_once: bool = False) -> None:
        """Send the boards now, or — if boards went out less than BOARD_INTERVAL ago — once it is over.

        The boards sent then are computed then, so a burst of changes becomes one board with all
        of them; the first change after a quiet spell goes out at once. The instructor's board
        actions (freeze, unfreeze, reveal, new weights) send ``at_once``: the answer to the action
        comes after its board, and nothing from before it is left to go out later.
        """
        if at_once and self.board_due is not None:
            self.board_due.cancel()
            self.board_due = None
        if self.board_due is not None:
            return  # a board is due already; it will carry this change too
        wait = 0.0 if at_once else self.board_sent_at + BOARD_INTERVAL - time.monotonic()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not in the event loop (a replay in a thread): nobody to wait for
            wait = 0.0
        if wait <= 0:
            self._send_standings()
        else:
            self.board_due = loop.call_later(wait, self._send_standings)

    def _send_standings(self) -> None:
        self.board_due = None
        self.board_sent_at = time.monotonic()
        now, rows, public = self.boards()
        self.channels.standings(now, rows, public, self.team_names())

    def state(self, now: float) -> None:
        """The status on every channel; a board still due goes out first (a pause shows its board)."""
        if self.board_due is not None:
            self.standings(at_once=True)
        self.everywhere("state", now, self.status())

    def everywhere(self, kind: str, now: float, data: Any) -> None:
        self.channels.everywhere(kind, now, data, self.team_names())
