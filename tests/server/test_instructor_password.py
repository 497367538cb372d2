"""The instructor's password is stored whole: its salt and its hash in one transaction.

Workers started at once each store the configured password with a salt of their own; stored
in two transactions, one worker's salt could end beside another's hash and refuse the right
password until a restart. So a start writes both in one call, and a failing second row must
leave the first unwritten (PostgreSQL refuses a NUL character in text; SQLite stores it).
"""

from __future__ import annotations

import pytest
from sqlalchemy.exc import SQLAlchemyError

from server.app import ensure_instructor_password
from server.persistence.db.engine import make_engine, migrate
from server.persistence.store import Store
from server.security.auth import password_hash
from server.settings import Settings


def _store(url: str) -> Store:
    engine = make_engine(url)
    migrate(engine)
    return Store(engine)


@pytest.mark.parametrize("configured", ["correct horse", None])
def test_the_salt_and_hash_are_stored_in_one_write(
    db_url: str, configured: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Configured or generated at the first start: one write holds both, and they agree."""
    store = _store(db_url)
    writes: list[set[str]] = []
    original = store.set_secrets

    def recording(values: dict[str, str]) -> None:
        writes.append(set(values))
        original(values)

    monkeypatch.setattr(store, "set_secrets", recording)
    shown: list[str] = []
    settings = Settings(database_url=db_url, instructor_password=configured, broadcast_url=None)
    ensure_instructor_password(store, settings, shown.append)
    assert writes == [{"instructor_salt", "instructor_hash"}]
    password = configured or shown[0].rsplit(": ", 1)[1]
    salt = store.secret("instructor_salt")
    assert salt and store.secret("instructor_hash") == password_hash(password, salt)


def test_secrets_set_together_are_written_all_or_none(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite stores a NUL character; PostgreSQL refuses it, failing the second write")
    store = _store(db_url)
    store.set_secrets({"instructor_salt": "old-salt", "instructor_hash": "old-hash"})
    with pytest.raises(SQLAlchemyError):
        store.set_secrets({"instructor_salt": "new-salt", "instructor_hash": "bad\x00hash"})
    assert (store.secret("instructor_salt"), store.secret("instructor_hash")) == ("old-salt", "old-hash")
