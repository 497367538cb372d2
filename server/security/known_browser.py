"""A browser the instructor has logged in on: a signed mark that gives its logins a window of their own.

The instructor's password is chosen by a person, so the server never checks it for a client
whose window of wrong attempts is full: that would tell a guesser which guess was right.
But a student guessing it from the classroom's one NAT address fills the window of that
address, the instructor's included. So a successful instructor login also sets a cookie
``salesfloor_known_browser``: a random id and its HMAC-SHA256 under a key kept in the
database. An instructor login that carries a valid mark is counted in the mark's own window,
not in its address's nor in the instructor target's shared one; nobody can make a mark
without logging in as the instructor. The mark grants nothing else: it is not a session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

COOKIE = "salesfloor_known_browser"
MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
PURPOSE = b"instructor-browser:"


def _mac(key: str, browser_id: str) -> str:
    return hmac.new(key.encode(), PURPOSE + browser_id.encode(), hashlib.sha256).hexdigest()[:32]


def new_mark(key: str) -> str:
    browser_id = secrets.token_urlsafe(12)
    return f"{browser_id}.{_mac(key, browser_id)}"


def browser_of(key: str, mark: str | None) -> str | None:
    """The id of a browser whose mark is valid under ``key``, else None."""
    if not mark or mark.count(".") != 1:
        return None
    browser_id, mac = mark.split(".")
    if not browser_id or not hmac.compare_digest(mac, _mac(key, browser_id)):
        return None
    return browser_id
