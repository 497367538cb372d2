"""Idempotency keys: a team command sent again with the same key gets its first reply, once applied.

A member may send an ``Idempotency-Key`` header with a command. The key is stored on the
command's row (unique per competition and member) together with the reply the command got.
The same key with the same command returns that reply again, accepted or refused, without
applying anything; the same key with another command is refused. A competition's keys are
read from the database the first time one is needed after a start, so retries across a
restart behave the same. The live competition consults this under its lock, so concurrent
retries cannot both apply.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from server.errors import ServerError
from server.persistence.store.logs import LogStore
from simulator.competition import LoggedCommand, Outcome

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
KEY_PATTERN = "^[ -~]{1,200}$"
"""What a key may be, as the OpenAPI document states it (printable ASCII; ``checked_key`` checks it)."""
KEY_DESCRIPTION = (
    "send the same key to retry safely: the command is applied once and every retry gets the "
    "first reply (accepted or refused)"
)
"""The header's description in the OpenAPI document, on the desk's commands and on the others."""


def checked_key(text: str | None) -> str | None:
    """The header's key, or a 422 saying what a key may be."""
    if text is None:
        return None
    if not 1 <= len(text) <= MAX_KEY_LENGTH or not text.isascii() or not text.isprintable():
        raise ServerError(
            "invalid",
            f"{HEADER}: use 1 to {MAX_KEY_LENGTH} printable ASCII characters, e.g. a UUID",
            field=HEADER,
        )
    return text


def reply_to_json(outcome: Outcome) -> str:
    return json.dumps(
        {
            "accepted": outcome.accepted,
            "reason": outcome.reason,
            "code": outcome.code,
            "events": list(outcome.events),
            "t": outcome.t,
            "rule": outcome.rule,
            "values": dict(outcome.values),
        }
    )


def reply_from_json(text: str) -> Outcome:
    data = json.loads(text)
    return Outcome(
        data["accepted"],
        data["reason"],
        data["code"],
        tuple(data["events"]),
        data["t"],
        data.get("rule", ""),  # replies stored before refusals carried their rule have none
        data.get("values", {}),
    )


@dataclass(frozen=True, slots=True)
class Keyed:
    payload: str
    seq: int
    outcome: Outcome


class Replies:
    """The keyed commands of one competition, by (member id, key)."""

    def __init__(self, competition_id: int, store: LogStore) -> None:
        self.competition_id = competition_id
        self.store = store
        self.loaded = False
        self.known: dict[tuple[int | None, str], Keyed] = {}

    def load(self, applied: Sequence[LoggedCommand]) -> None:
        """Read the stored keys (blocking: run it in a thread). ``applied`` is the competition's log.

        A reply that was not saved (the server stopped between taking the command and
        answering it) is rebuilt from the replayed log: accepted or refused, when, why and with
        which code (so the same HTTP status: a replay refuses as the desk first did); only the
        list of its events is then empty.
        """
        for row in self.store.keyed_commands(self.competition_id):
            if row.reply is not None:
                outcome = reply_from_json(row.reply)
            elif row.seq < len(applied):
                entry = applied[row.seq]
                outcome = Outcome(
                    entry.accepted, entry.reason, entry.code, (), entry.t, entry.rule, entry.values
                )
            else:
                continue  # not in the log: never applied, so a retry applies it
            self.known[(row.member_id, row.key)] = Keyed(row.payload, row.seq, outcome)
        self.loaded = True

    def earlier(self, member_id: int | None, key: str, payload: str) -> Outcome | None:
        """The reply this key got before, or None for a new key; a 409 for another command's key."""
        keyed = self.known.get((member_id, key))
        if keyed is None:
            return None
        if keyed.payload != payload:
            raise ServerError(
                "conflict",
                f"{HEADER} {key!r} was used for another command (seq {keyed.seq}); "
                "send a new key with a new command",
                field=HEADER,
            )
        return keyed.outcome

    def remember(self, member_id: int | None, key: str, payload: str, seq: int, outcome: Outcome) -> None:
        self.known[(member_id, key)] = Keyed(payload, seq, outcome)
