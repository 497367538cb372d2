"""Fixtures for the live server's tests: databases, apps, clients and logins.

``db_url`` runs a test on a SQLite file and on a fresh PostgreSQL database (skipped with a
reason when no PostgreSQL answers on 127.0.0.1:5432, but failed when ``CI`` is set: CI must
not skip); ``store`` is a migrated store on it. The other fixtures use SQLite. Helpers live
in ``tests.server.helpers``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.persistence.db.engine import make_engine, migrate
from server.persistence.store import Store
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    login_instructor,
    make_app,
    postgres_database,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'salesfloor.db'}"
    else:
        yield from postgres_database()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A migrated ``Store`` on ``db_url`` (both databases), for tests that write below the API."""
    engine = make_engine(db_url)
    migrate(engine)
    yield Store(engine)
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'salesfloor.db'}"


@pytest.fixture
def app(sqlite_url: str) -> FastAPI:
    return make_app(sqlite_url)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def instructor(client: TestClient) -> Headers:
    return login_instructor(client)


@pytest.fixture
def game(client: TestClient, instructor: Headers) -> Game:
    """A started competition: house teams Alpha and Beta (balanced bots) and the human team Humans."""
    return create_competition(client, instructor)


# --- one app per test module (tests that can share a server make their own competitions) ----------


@pytest.fixture(scope="module")
def module_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('server') / 'salesfloor.db'}"
    with TestClient(make_app(url)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def module_instructor(module_client: TestClient) -> Headers:
    return login_instructor(module_client)
