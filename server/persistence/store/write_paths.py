"""Every write of the store, decided for several workers: fenced by the owner epoch, or by any worker.

With several workers (``BROADCAST_URL``) the worker running a competition keeps much of its
stored state in memory — its log and clock, its board, parameters and scoring, its rubric, its
teams with their join codes and its members' names — and reads all of it again when it takes
the competition over. A write of such state by a worker that no longer runs the competition (a
stale one, frozen past its lease and woken after another worker took over) would land after the
new owner's recovery read: the new owner would serve what it holds while the database says
otherwise, and the next recovery would not give back what was played. So each such write is
``FENCED``: it takes the owner ``epoch`` and checks it first in its transaction
(server.persistence.store.fencing), writing nothing to a stale one. A worker that does not run
a competition at all never reaches these writes: its routes answer only for competitions live
in it (``Runtime.get``), and requests about others are forwarded to their owner.

The other writes may be made by ``ANY_WORKER``, each for the reason given beside it. A new
writing method of ``Store`` has to be added to one or the other: tests/server/test_write_paths.py
fails on a method that commits and is in neither (and on a fenced one that takes no epoch).
docs/operations.md ("Several workers") explains the same table.
"""

from __future__ import annotations

FENCED: frozenset[str] = frozenset(
    {
        # the logs, the clock and the board (issue 14's first fence)
        "add_commands",
        "write_behind",
        "save_reply",
        "drop_commands_from",
        "save_clock",
        "save_board",
        # what the owner holds in memory besides (it would serve stale values, and recovery differ)
        "save_parameters",  # a draft's starting parameters: the live competition starts with them
        "save_scoring",  # weights and normalisation: the live standings are scored with them
        "save_criterion",  # the rubric's criteria and entries: the rubric component of the standings
        "delete_criterion",
        "add_rubric_entry",
        "add_teams",  # the live competition's teams (a team it does not know cannot play)
        "set_join_code",  # the codes the instructor's lobby shows, from the live teams
        "remove_members",  # the members' names the live competition shows
        "join_many",  # the same, and "a finished competition takes no one" judged by the live state
        "save_peer_reviews",  # taken once the live state says finished: a stale one may say so early
    }
)

ANY_WORKER: dict[str, str] = {
    "take_owner_epoch": "the fence itself: a worker taking a competition over raises its epoch",
    "add_competition": "a new competition: nobody runs it until it is placed, which raises its epoch first",
    "import_competition": "an archive imported as a new competition: nobody runs it until it is placed",
    "add_parameter_change": (
        "the history line of a parameter change between rounds, written only after that change's "
        "command committed (fenced); read from the database, never held in memory"
    ),
    "add_session": "sessions belong to no competition's running state; every worker reads them",
    "touch_session": "a session's last use: the same whichever worker saw the request",
    "drop_session": "a logout: every worker forgets the session (the sessions-ended channel)",
    "drop_sessions_unused_since": "forgets sessions long expired, of any competition or none",
    "ensure_secret": "the server's shared keys: the first worker's is kept, the others read it",
    "set_secrets": "the instructor's password (salt and hash in one transaction), set at a worker's start",
    "claim_key": (
        "an instructor's or judge's Idempotency-Key: the worker serving the request claims it, and "
        "the key's row is unique, so a claim made elsewhere first is found, never overwritten"
    ),
    "keep_reply": "the reply to a key this worker claimed; read from the database, never held in memory",
    "drop_claim": "a claim this worker made for a command it did not apply (only while it has no reply)",
    "drop_keyed_replies": (
        "forgets Idempotency-Keys no retry can come for: claimed long ago, or of a session that is gone"
    ),
}
