"""Every page that can show a toast or the busy notice loads their styles.

``common/ui.js`` makes toasts and ``common/sender.js`` the "Server busy — retrying…" notice; their
look is in ``common/notices.css``. A page whose scripts import either (directly or through other
modules: ``common/api.js`` imports the sender) must link that stylesheet, or the notice would
show as bare text in the browser's default style. This reads the pages and the modules' imports,
so it needs no browser.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DASHBOARDS = ROOT / "dashboards"
NOTICES = "/static/common/notices.css"
SHOWS_NOTICES = {"/static/common/ui.js", "/static/common/sender.js"}
IMPORT = re.compile(r"""(?:import|from)\s*\(?\s*["'](/static/[^"']+\.js)["']""")
SCRIPT = re.compile(r"""<script[^>]*\bsrc=["'](/static/[^"']+\.js)["']""")
STYLESHEET = re.compile(r"""<link rel="stylesheet" href="([^"]+)">""")


def imports(module: str) -> set[str]:
    """Every module ``module`` loads, itself included, following static and dynamic imports."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        source = (DASHBOARDS / path.lstrip("/")).read_text(encoding="utf-8")
        todo += IMPORT.findall(source)
    return seen


def test_the_import_reader_follows_the_pages_imports() -> None:
    team = imports("/static/team.js")
    assert {"/static/team/dom.js", "/static/common/hold.js", "/static/common/sender.js"} <= team


def test_every_page_that_can_show_a_notice_loads_its_styles() -> None:
    pages = sorted((DASHBOARDS / "pages").glob("*.html"))
    assert {page.stem for page in pages} >= {"board", "team", "instructor", "judge", "home"}
    missing = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        loaded = set().union(*(imports(script) for script in SCRIPT.findall(html)))
        if loaded & SHOWS_NOTICES and NOTICES not in STYLESHEET.findall(html):
            missing.append(page.name)
    assert missing == [], f"pages that can show a notice without its styles: {missing}"


def test_every_page_shows_notices() -> None:
    """Each page calls the API (and so can be told the server is busy): none is left out above."""
    for page in sorted((DASHBOARDS / "pages").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        loaded = set().union(*(imports(script) for script in SCRIPT.findall(html)))
        assert "/static/common/sender.js" in loaded, page.name
