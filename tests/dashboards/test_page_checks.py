"""The pages' checks (ESLint, Prettier, TypeScript; run by `make lint`) cover every page module.

A new directory of pages under dashboards/static must be linted, formatted and type-checked
like the others; only vendor/ (third-party code) is left out. This reads the three tools'
configuration files, so it needs no Node.js.
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "dashboards" / "static"
PAGES_GLOB = "dashboards/static/**/*.js"
VENDOR = "dashboards/static/vendor"


def page_modules() -> set[str]:
    """Every JavaScript module of the pages (vendor/ excluded), relative to the repository."""
    found = {path.relative_to(ROOT).as_posix() for path in STATIC.rglob("*.js")}
    return {path for path in found if not path.startswith(VENDOR + "/")}


def glob_matches(pattern: str) -> set[str]:
    return {path.relative_to(ROOT).as_posix() for path in ROOT.glob(pattern)}


def test_every_page_directory_holds_modules_the_checks_see() -> None:
    directories = {Path(path).parent.name for path in page_modules()}
    assert {"static", "board", "common", "team", "instructor", "judge", "strings"} <= directories


def test_typescript_checks_every_page_module_and_no_vendor_code() -> None:
    config = json.loads((ROOT / "tsconfig.json").read_text(encoding="utf-8"))
    options = config["compilerOptions"]
    assert options["allowJs"] and options["checkJs"] and options["noEmit"]
    checked = set().union(*(glob_matches(pattern) for pattern in config["include"]))
    assert config["exclude"] == [VENDOR + "/**"]  # a folder and everything under it
    checked = {path for path in checked if not path.startswith(VENDOR + "/")}
    assert page_modules() <= checked


def test_eslint_lints_every_page_module_and_ignores_only_vendor() -> None:
    config = (ROOT / "eslint.config.js").read_text(encoding="utf-8")
    assert f'files: ["{PAGES_GLOB}"]' in config
    ignored = re.search(r"ignores: \[([^\]]*)\]", config)
    assert ignored is not None
    static_ignores = [item for item in re.findall(r'"([^"]+)"', ignored.group(1)) if "static" in item]
    assert static_ignores == [VENDOR + "/**"]


def test_prettier_formats_the_page_modules_and_leaves_vendor_alone() -> None:
    lines = (ROOT / ".prettierignore").read_text(encoding="utf-8").splitlines()
    rules = [line for line in lines if line and not line.startswith("#")]
    assert f"!{PAGES_GLOB}" in rules
    assert rules.index(VENDOR + "/") > rules.index(f"!{PAGES_GLOB}")  # the later rule wins
