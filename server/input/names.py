"""When two member names are one person's: the key a name is compared by, everywhere.

A student signs in again on another device, or after losing the cookie, and types their name
as a person would: "Mei", " mei ", "MEI", or "Zoë" from a keyboard that composes the ë and
from one that sends e + U+0308. Those are one person. ``name_key`` is the form every such
spelling comes to: Unicode NFC, surrounding spaces trimmed, inner whitespace collapsed to one
space, and case folded for the scripts that have case (``str.casefold``: "Straße" and
"STRASSE" are one name; Chinese, Japanese and the other caseless scripts are left as they
are). Names are compared by this key and nothing else: a rejoin, the exclusive role's holder,
removing a member, the lobby, the instructor's member list, the peer review.

``display_name`` is the spelling a new member is stored and shown under: NFC with the spaces
tidied, the case as typed. A member who signs in again keeps the spelling of their first sign-in.
"""

from __future__ import annotations

import unicodedata


def display_name(name: str) -> str:
    """The name as shown: NFC, surrounding spaces trimmed, inner whitespace one space, case kept."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def name_key(name: str) -> str:
    """The key two spellings of one person's name share (see the module docstring)."""
    return unicodedata.normalize("NFC", display_name(name).casefold())
