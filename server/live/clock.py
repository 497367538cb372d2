"""The live clock: simulated time from wall time at the competition's pacing.

While running, simulated time = ``sim_t + (now − resumed_at) / seconds_per_hour``; while
stopped it stays at ``sim_t``. The wall clock lives here, in the server, and nowhere in the
domain packages.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.wall_clock import wall_now


@dataclass(slots=True)
class PacedClock:
    seconds_per_hour: float
    sim_t: float = 0.0
    resumed_at: float | None = None

    @property
    def running(self) -> bool:
        return self.resumed_at is not None

    def now(self, wall: float | None = None) -> float:
        """Simulated time now."""
        if self.resumed_at is None:
            return self.sim_t
        wall = wall_now() if wall is None else wall
        return self.sim_t + max(0.0, wall - self.resumed_at) / self.seconds_per_hour

    def start(self, wall: float | None = None) -> None:
        self.resumed_at = wall_now() if wall is None else wall

    def stop(self, at_sim: float | None = None) -> None:
        """Stop the clock (at ``at_sim`` if given, else now)."""
        self.sim_t = self.now() if at_sim is None else at_sim
        self.resumed_at = None

    def wall_until(self, sim: float) -> float:
        """Wall seconds until simulated time ``sim`` (0 if passed or stopped)."""
        if self.resumed_at is None:
            return 0.0
        return max(0.0, (sim - self.now()) * self.seconds_per_hour)
