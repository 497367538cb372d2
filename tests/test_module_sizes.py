"""The size rule: no module over 400 lines and no class over 300, in every package the project
installs (``[tool.setuptools.packages.find]`` in pyproject.toml).

A module that is generated data or a table of strings may be longer; none is today, so nothing
is exempt (an exemption names the module and why, in ``EXEMPT``).
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_MODULE_LINES = 400
MAX_CLASS_LINES = 300
EXEMPT: dict[str, str] = {}


def _packages() -> list[Path]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        patterns = tomllib.load(file)["tool"]["setuptools"]["packages"]["find"]["include"]
    return [ROOT / pattern.rstrip("*") for pattern in patterns]


def _modules() -> list[Path]:
    return sorted(path for package in _packages() for path in package.rglob("*.py"))


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_every_package_is_measured() -> None:
    names = {path.relative_to(ROOT).parts[0] for path in _modules()}
    assert {"market", "teams", "simulator", "scoring", "server"} <= names
    assert len(_modules()) > 150


def test_no_module_is_longer_than_the_rule() -> None:
    too_long = {
        str(path.relative_to(ROOT)): _lines(path)
        for path in _modules()
        if _lines(path) > MAX_MODULE_LINES and str(path.relative_to(ROOT)) not in EXEMPT
    }
    assert too_long == {}, f"modules over {MAX_MODULE_LINES} lines: split them by concern"


def test_no_class_is_longer_than_the_rule() -> None:
    too_long = {}
    for path in _modules():
        name = str(path.relative_to(ROOT))
        if name in EXEMPT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                size = node.end_lineno - node.lineno + 1
                if size > MAX_CLASS_LINES:
                    too_long[f"{name}:{node.name}"] = size
    assert too_long == {}, f"classes over {MAX_CLASS_LINES} lines: split them by concern"


def test_every_exemption_is_still_needed() -> None:
    """An exemption goes once its module keeps the rule (or is gone): the list never grows stale."""
    for name in EXEMPT:
        path = ROOT / name
        assert path.is_file() and _lines(path) > MAX_MODULE_LINES, f"{name} keeps the rule now: unexempt it"
