"""Dashboards: the pages and static assets the server serves (no Python logic beyond locating them)."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).with_name("static")

__all__ = ["STATIC_DIR"]
