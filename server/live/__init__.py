"""The live runtime: competitions as the server runs them (see server.live.competition)."""

from server.live.competition import LiveCompetition
from server.live.stage import NotStarted, Stage, Started
from server.live.tally import Activity, Tally

__all__ = ["Activity", "LiveCompetition", "NotStarted", "Stage", "Started", "Tally"]
