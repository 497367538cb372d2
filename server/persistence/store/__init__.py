"""Persistence: every read and write the server makes, one store per aggregate on one engine.

``Store`` is the facade the server holds: it is each aggregate's store at once (they share
the engine), so a call site reads ``store.teams(id)`` whatever the aggregate. The aggregates:
secrets, competitions, teams and members, sessions, the command and event logs, the board,
the rubric, peer reviews, archives, the owner epoch that fences a competition's logs, and the
keyed replies of the instructor's and judges' commands.
Functions are synchronous (the live layer calls them in a worker thread) and each write
commits before it returns, so whatever the server acknowledges is on disk.
"""

from __future__ import annotations

from server.persistence.store.archives import ArchiveStore
from server.persistence.store.board import BoardStore
from server.persistence.store.competitions import CompetitionStore
from server.persistence.store.fencing import FencingStore, StaleOwner
from server.persistence.store.keyed_replies import KeyedReplyStore
from server.persistence.store.logs import KeyedCommand, LoggedRow, LogStore
from server.persistence.store.peer_reviews import PeerReviewStore
from server.persistence.store.rubric import RubricStore
from server.persistence.store.secrets import SecretStore
from server.persistence.store.sessions import SessionStore
from server.persistence.store.teams import TeamStore

__all__ = ["KeyedCommand", "LoggedRow", "StaleOwner", "Store"]


class Store(
    SecretStore,
    CompetitionStore,
    TeamStore,
    SessionStore,
    LogStore,
    BoardStore,
    RubricStore,
    PeerReviewStore,
    ArchiveStore,
    FencingStore,
    KeyedReplyStore,
):
    """The server's database: every aggregate's store over one engine."""
