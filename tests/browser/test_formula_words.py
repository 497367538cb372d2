"""The explanation's formula line (written by the server in English notation) reads in the
page's language: in Chinese every word is translated and every number and symbol kept."""

from __future__ import annotations

import re
from typing import Any

FORMULAS = [
    "conversion = 100 × won ÷ closed = 100 × 3 ÷ 8 = 37.50",
    "satisfaction = 100 × ΣS ÷ customers = 100 × 4.2150 ÷ 7 = 60.21",
    "receivables = 100 × collected ÷ due = 100 × 900.00 ÷ 1200.00 = 75.00 (clipped to 0–100)",
    "composite = Σ w·m ÷ Σ w = (30×37.50 + 30×60.29 + 15×100.00) ÷ (30 + 30 + 15) = 59.12; normalisation raw;"
    " profit min–max scaled across teams; left out (no team has a value yet): receivables",
    "rubric = 100 × Σ mean points ÷ Σ max points = 100 × 7.50 ÷ 10 = 75.00",
]


def test_the_formula_words_are_translated_and_the_numbers_kept(open_context: Any) -> None:
    page = open_context("zh").new_page()
    page.goto("/")
    shown = page.evaluate(
        "async (formulas) => { const { formulaText } = await import('/static/explain.js');"
        " return formulas.map(formulaText); }",
        FORMULAS,
    )
    for english, chinese in zip(FORMULAS, shown, strict=True):
        assert not re.findall(r"[A-Za-z]{2,}", chinese), chinese  # notation (w, m, S) may stay
        assert re.findall(r"\d+(?:\.\d+)?", chinese) == re.findall(r"\d+(?:\.\d+)?", english)
    assert shown[0].startswith("转化率 = 100 × 成交 ÷ 已结束询价")
    english = open_context("en").new_page()
    english.goto("/")
    same = english.evaluate(
        "async (formulas) => { const { formulaText } = await import('/static/explain.js');"
        " return formulas.map(formulaText); }",
        FORMULAS,
    )
    assert same == FORMULAS
