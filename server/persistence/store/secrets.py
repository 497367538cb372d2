"""Secrets: the server's own keys, stored once and shared by every worker."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from server.persistence.db.tables import SecretRow
from server.persistence.store.base import StoreBase


class SecretStore(StoreBase):
    """The server's secrets, by name."""

    def secret(self, name: str) -> str | None:
        with self.session() as s:
            row = s.get(SecretRow, name)
            return row.value if row else None

    def ensure_secret(self, name: str, value: str) -> str:
        """The secret ``name``, stored as ``value`` if there was none (workers starting at once agree)."""
        existing = self.secret(name)
        if existing is not None:
            return existing
        try:
            with self.session() as s:
                s.add(SecretRow(name=name, value=value))
                s.commit()
        except IntegrityError:  # another worker stored it first: theirs it is
            pass
        stored = self.secret(name)
        assert stored is not None
        return stored

    def set_secrets(self, values: dict[str, str]) -> None:
        """Set several secrets in one transaction: a reader never sees some new and some old
        (a password's salt beside another start's hash would refuse the right password)."""
        with self.session() as s:
            for name, value in values.items():
                row = s.get(SecretRow, name) or SecretRow(name=name, value=value)
                row.value = value
                s.add(row)
            s.commit()
