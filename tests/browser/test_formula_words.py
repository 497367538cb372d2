"""The explanation's formula line (written by the server in English notation) reads in the
page's language: in Chinese every word is translated and every number and symbol kept — the
formulas of every rules version (docs/scoring.md), v1's and those of v2 to v5."""

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
    # rules v2 to v5 (scoring/explain.py), as a rules-5 class shows them
    "composite = Σ w·m ÷ Σ w = (20×100.00 + 25×100.00 + 25×70.00 + 30×46.13) ÷ (20 + 25 + 25 + 30) = 76.34;"
    " normalisation raw; each metric on its own fixed scale (profit: 50 + 10 × return on capital % per"
    " business week); left out for this team (no value yet), weights renormalised: rubric",
    "composite = Σ w·m ÷ Σ w = (30×46.13) ÷ (30) = 46.13; normalisation rank; each metric on its own fixed"
    " scale (profit: 50 + 10 × return on capital % per round)",
    "x = clip((S_after − 0.7·S_before) ÷ 0.3, 0, 1) per experience; x̄ = Σx ÷ n = 0.8291 ÷ 1 = 0.83;"
    " satisfaction = clip(100 × (x̄ − 0.58) ÷ 0.2, 0, 100) = 100.00 (scale: x̄ 0.58 → 0, 0.78 → 100)",
    "expected loss = written off 0.00 + Σ open × PD 27.36 = 27.36; PD = the invoice's own rate until due"
    " (0.03 × (1 + 0.5 × days granted beyond those asked ÷ max(days asked, 1))), then rising linearly to 1"
    " at 15 days past due; loss rate = 27.36 ÷ invoiced 912.00 = 3.00 %; receivables = clip(100 − 10 ×"
    " loss rate in %, 0, 100) = 70.00 (scale: 0 % lost → 100, 5 % → 50, 10 % → 0)",
    "expected loss = written off 0.00 + Σ open × PD 0.00 = 0.00; PD = 0.03 until due, then rising linearly"
    " to 1 at 15 days past due; loss rate = 0.00 ÷ invoiced 0.00 = n/a; receivables = clip(100 − 10 ×"
    " loss rate in %, 0, 100) = 100.00 (scale: 0 % lost → 100, 5 % → 50, 10 % → 0)",
    "profit = cash gained -962.00 + still owed 912.00 − expected loss on it 27.36 = -77.36; return = 100 ×"
    " profit ÷ starting capital 20000.00 ÷ business weeks played 1.0000 (= max(1, t 30.53 h ÷ 40 h a"
    " business week)) = -0.39 % per business week; score = clip(50 + 10 × return, 0, 100) = 46.13"
    " (scale: -5 % a business week → 0, 0 % → 50, +5 % → 100)",
    "profit = cash gained 1200.00 + still owed 0.00 − expected loss on it 0.00 = 1200.00; return = 100 ×"
    " profit ÷ starting capital 20000.00 ÷ rounds played 2.00 = 3.00 % per round; score = clip(50 + 10 ×"
    " return, 0, 100) = 80.00 (scale: -5 % a round → 0, 0 % → 50, +5 % → 100)",
    "profit = cash gained 500.00 + still owed 0.00 = 500.00; score = 100 × (profit − lowest -100.00) ÷"
    " (highest 900.00 − lowest -100.00) = 60.00",
    "profit = cash gained 0.00 + still owed 0.00 = 0.00; score = all teams equal (0.00) → 50",
    "rubric = 100 × Σ mean points ÷ Σ max points = 100 × 7.50 ÷ 10 = 75.00 (1 item)",
    "rubric = 100 × Σ mean points ÷ Σ max points = 100 × 15.00 ÷ 20 = 75.00 (2 items)",
]
# the notation a translated formula keeps (function names and symbols, as in scoring/explain.py)
NOTATION = re.compile(r"clip|max|PD|S_after|S_before")


def english_words(text: str) -> list[str]:
    """The English words left in a translated formula, its notation aside (w, m, S, t, h are single
    letters; a team's name is the caller's to take out)."""
    return re.findall(r"[A-Za-z]{2,}", NOTATION.sub("", text))


def test_the_formula_words_are_translated_and_the_numbers_kept(open_context: Any) -> None:
    page = open_context("zh").new_page()
    page.goto("/")
    shown = page.evaluate(
        "async (formulas) => { const { formulaText } = await import('/static/explain.js');"
        " return formulas.map(formulaText); }",
        FORMULAS,
    )
    for english, chinese in zip(FORMULAS, shown, strict=True):
        assert not english_words(chinese), chinese  # notation (w, m, S, clip, PD) may stay
        assert re.findall(r"\d+(?:\.\d+)?", chinese) == re.findall(r"\d+(?:\.\d+)?", english)
    assert shown[0].startswith("转化率 = 100 × 成交 ÷ 已结束询价")
    assert "；各项指标按各自的固定量表计分 (利润: 50 + 10 × 资本回报率（%/营业周）)" in shown[5]
    assert "此后线性上升至 1，于逾期 15 天时" in shown[8]
    assert "-0.39 %/营业周" in shown[10]
    unscored = page.evaluate(
        "async (f) => (await import('/static/explain.js')).formulaText(f)",
        "rubric = n/a: no judge has scored team 'Aurora' yet",
    )
    assert unscored == "评委分 = 暂无: 评委对团队 'Aurora' 尚未评分"
    english = open_context("en").new_page()
    english.goto("/")
    same = english.evaluate(
        "async (formulas) => { const { formulaText } = await import('/static/explain.js');"
        " return formulas.map(formulaText); }",
        FORMULAS,
    )
    assert same == FORMULAS
