"""How the server's database is, as its last writes found it: ``ok``, ``unavailable`` or ``full``."""

from __future__ import annotations

from typing import Literal

from server.live.runtime import Runtime
from server.persistence.db.engine import health_of


def database_state(rt: Runtime) -> Literal["ok", "unavailable", "full"]:
    """``full`` when the disk refused the last writes, ``unavailable`` for any other outage."""
    outage = health_of(rt.store.engine).outage
    return "ok" if outage is None else ("full" if outage.problem == "full" else "unavailable")
