"""Every string of every page exists in English and in Chinese.

The string tables are ES modules (dashboards/static/strings/*.js); the browser loads each one,
and every key the pages use — data-i18n attributes in the HTML, t("…") calls in the scripts —
must be in both languages, with a non-empty text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dashboards import PAGES_DIR, STATIC_DIR

KEY_ATTRIBUTE = re.compile(r'data-i18n(?:-[a-z-]+)?="([^"]+)"')
KEY_CALL = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_.*-]+)["']""")


def used_keys() -> dict[str, set[str]]:
    """Each literal key and the files that use it."""
    found: dict[str, set[str]] = {}
    files = [*PAGES_DIR.glob("*.html"), *(p for p in STATIC_DIR.rglob("*.js") if "vendor" not in p.parts)]
    for path in files:
        text = path.read_text(encoding="utf-8")
        pattern = KEY_ATTRIBUTE if path.suffix == ".html" else KEY_CALL
        for key in pattern.findall(text):
            found.setdefault(key, set()).add(str(path.relative_to(STATIC_DIR.parent)))
    return found


def test_every_key_is_in_both_languages(open_context: Any) -> None:
    page = open_context("en").new_page()
    page.goto("/")
    tables: dict[str, dict[str, dict[str, str]]] = {}
    for module in sorted((STATIC_DIR / "strings").glob("*.js")):
        url = f"/static/strings/{module.name}"
        tables[module.name] = page.evaluate("async (url) => (await import(url)).default", url)
    problems = []
    for name, table in tables.items():
        en, zh = table.get("en", {}), table.get("zh", {})
        problems += [f"{name}: {key!r} has no Chinese" for key in sorted(set(en) - set(zh))]
        problems += [f"{name}: {key!r} has no English" for key in sorted(set(zh) - set(en))]
        problems += [
            f"{name}: {key!r} is empty in {lang}"
            for lang in ("en", "zh")
            for key, text in table.get(lang, {}).items()
            if not str(text).strip()
        ]
    known = {key for table in tables.values() for key in table.get("en", {})}
    for key, files in sorted(used_keys().items()):
        if key not in known and "*" not in key:
            problems.append(f"{key!r} is used in {', '.join(sorted(files))} but defined nowhere")
    assert not problems, "\n".join(problems)


def test_the_chinese_strings_are_chinese(open_context: Any) -> None:
    """A zh text that is the English text again is a translation that was forgotten."""
    page = open_context("en").new_page()
    page.goto("/")
    same = []
    for module in sorted((STATIC_DIR / "strings").glob("*.js")):
        table = page.evaluate("async (url) => (await import(url)).default", f"/static/strings/{module.name}")
        for key, text in table.get("en", {}).items():
            chinese = table.get("zh", {}).get(key, "")
            words = re.sub(r"\{\w+\}", "", text)  # placeholders are not words
            if chinese == text and re.search(r"[a-z]{4,}", words):  # (codes and units may stay)
                same.append(f"{module.name}: {key!r} = {text!r}")
    assert not same, "\n".join(same)


def test_every_attribute_a_person_reads_is_a_key() -> None:
    """An aria-label, title, placeholder or alt written in a page's HTML has its key beside it
    (data-i18n-aria-label="…", …), so that a screen reader does not read English on a Chinese page."""
    attribute = re.compile(r'<[^>]*?\s(aria-label|title|placeholder|alt)="[^"]*"[^>]*>')
    loose = []
    for path in sorted(PAGES_DIR.glob("*.html")):
        for tag in attribute.finditer(path.read_text(encoding="utf-8")):
            if tag.group(0).startswith("<title") or f"data-i18n-{tag.group(1)}=" in tag.group(0):
                continue
            loose.append(f"{path.name}: {tag.group(0)}")
    assert not loose, "\n".join(loose)


def test_no_page_names_another_host() -> None:
    """No page or script refers to a host: every asset is served by the app itself."""
    remote = re.compile(
        r"""(?:src|href)\s*=\s*["'](?:https?:)?//|\bimport\s[^;]*["']https?://|fetch\(\s*["']https?://"""
    )
    offenders = []
    for path in [
        *PAGES_DIR.glob("*.html"),
        *(p for p in STATIC_DIR.rglob("*.js") if "vendor" not in p.parts),
        *STATIC_DIR.rglob("*.css"),
    ]:
        if remote.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    assert not offenders, offenders


def test_the_vendored_libraries_keep_their_licences() -> None:
    vendor = STATIC_DIR / "vendor"
    for library in (p for p in vendor.iterdir() if p.is_dir()):
        assert (library / "LICENSE").exists(), f"{library.name} has no LICENSE"
    assert Path(vendor / "README.md").exists()


HTML_FROM_STRINGS = re.compile(
    r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\("
)


def test_no_page_script_turns_text_into_html() -> None:
    """Names come from students (members) and the instructor (teams, announcements): the pages put
    them in the DOM as text only, so a name like ``<img src=x onerror=…>`` stays a name. (The CSP,
    ``script-src 'self'``, would block the script anyway; this keeps markup out too.)"""
    scripts = [p for p in STATIC_DIR.rglob("*.js") if "vendor" not in p.parts]
    assert scripts
    offenders = [
        f"{path.relative_to(STATIC_DIR)}:{number}: {line.strip()}"
        for path in scripts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HTML_FROM_STRINGS.search(line)
    ]
    assert offenders == []
