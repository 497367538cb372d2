"""The rooms of the server stay apart: the import contracts are in pyproject.toml, and a route
that imports the tables breaks them (``lint-imports``, run by ``make lint``, then fails).

The second test runs ``lint-imports`` on a copy of the packages with one deliberate violation,
so a contract that stopped checking (a renamed room, a typo in a module name) fails here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_CONTRACTS = {
    "Routes reach the store and the simulator only through the live runtime",
    "The wire never imports the simulator",
    "Nothing in the server imports the command line or the client",
    "Persistence imports none of the rooms that use it",
    "The input rules stand alone",
}
DOMAIN_CONTRACTS = {
    "Layers point one way: server -> simulator -> teams -> market",
    "Scoring reads only the event vocabulary (market and desk events) and the team's account",
    "Nothing imports the server; dashboards hold files only",
    "Only the simulator and the server use scoring",
}


def _config() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["importlinter"]


def test_the_contracts_between_the_rooms_are_configured() -> None:
    contracts = {c["name"]: c for c in _config()["contracts"]}
    assert set(contracts) >= SERVER_CONTRACTS | DOMAIN_CONTRACTS
    routes = contracts["Routes reach the store and the simulator only through the live runtime"]
    assert routes["source_modules"] == ["server.api"]
    forbidden = set(routes["forbidden_modules"])
    assert {"server.persistence.db", "server.persistence.store", "simulator"} <= forbidden
    rooms = contracts["Nothing in the server imports the command line or the client"]["source_modules"]
    for room in ("api", "live", "wire", "workers", "persistence", "exports", "security", "input"):
        assert f"server.{room}" in rooms
        assert (ROOT / "server" / room / "__init__.py").is_file(), f"server/{room} is not a package"


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    program = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(program), "--no-cache"],
        cwd=tree,
        env={"PATH": str(program.parent), "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_route_that_imports_the_tables_fails_lint_imports(tmp_path: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in _config()["root_packages"]:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert _lint_imports(tmp_path).returncode == 0  # the copy as it is keeps every contract

    route = tmp_path / "server" / "api" / "team.py"
    route.write_text(route.read_text() + "\nfrom server.persistence.db.tables import TeamRow  # noqa\n")
    broken = _lint_imports(tmp_path)
    assert broken.returncode != 0
    assert "Routes reach the store and the simulator only through the live runtime BROKEN" in broken.stdout
    assert "server.api.team -> server.persistence.db.tables" in broken.stdout
