"""Authentication: random tokens, stored hashed, for the instructor, judges and team members.

A token is 32 random bytes (URL-safe); the database keeps only its SHA-256 (with the server
secret mixed in), so a leaked database cannot be replayed as logins. Browsers carry the
token in an HttpOnly, SameSite cookie; programs send it as a bearer token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

COOKIE = "salesfloor_session"
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and printed


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_code(length: int = 8) -> str:
    """A join or judge code that is easy to read out in a classroom."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(length))


def token_hash(token: str, secret: str) -> str:
    return hashlib.sha256((secret + ":" + token).encode()).hexdigest()


def password_hash(password: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 200_000).hex()


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is asking: the instructor, a judge of one competition, or a member of one team."""

    role: str  # instructor | judge | member
    competition_id: int | None = None
    member_id: int | None = None
    team_id: int | None = None
    team: str | None = None
    member: str | None = None
    team_role: str | None = None
