"""The scoring package's one base exception: a bad configuration or a malformed event log."""

from __future__ import annotations


class ScoringError(ValueError):
    """Raised for an invalid scoring configuration, a malformed event log or a bad query.

    ``field`` names the configuration field, event or argument at fault when there is one, so a
    form or the API can point at it.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        self.reason = message
        super().__init__(f"{field}: {message}" if field else message)
