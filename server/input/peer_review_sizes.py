"""How a peer review is bounded: the rule the members' API and an archive's import both hold."""

from __future__ import annotations

RATING_MIN = 1
RATING_MAX = 5
"""A rating of a teammate's contribution: an integer from 1 (little) to 5 (a great deal)."""
COMMENT_MAX = 500
"""The longest comment beside a rating, in characters (after surrounding spaces are dropped)."""
MAX_RATINGS = 50
"""The most ratings one member gives: one per teammate, at most this many teammates."""
