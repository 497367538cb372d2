"""Dashboards: the pages and static assets the server serves (no Python logic beyond locating them)."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).with_name("static")
"""Scripts, styles, strings and vendored libraries, served under /static."""

PAGES_DIR = Path(__file__).with_name("pages")
"""One HTML file per page."""

__all__ = ["PAGES_DIR", "STATIC_DIR"]
