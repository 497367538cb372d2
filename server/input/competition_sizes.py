"""How large a competition may be: the bound the instructor's API and an archive's import both hold."""

from __future__ import annotations

MAX_TEAMS = 200
"""The most teams one competition registers (a class; a CSV or an archive naming more is refused)."""
