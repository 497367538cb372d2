"""Complaint remedies and service recovery (TARP; de Matos et al. 2007).

A remedy is adequate when it matches the complaint: an apology settles a minor complaint,
a credit note settles one if it is big enough for the severity, a replacement settles a
defect or any minor complaint, a refund settles anything. Whether the remedy came within the
SLA and was adequate decides the customer's repurchase probability after the failure.

From rules 5 a refund is perceived as no better than an adequate credit note: money back beyond
the loss buys no more satisfaction (overcompensation; Gelbrich, Gäthke & Grégoire 2015), so
refunding every complaint in full costs its money and buys no more than compensation does.
"""

from __future__ import annotations

REMEDIES = ("apology", "credit_note", "replacement", "refund")
MIN_CREDIT_PERCENT = {"minor": 5.0, "major": 15.0}

# Repurchase probability after a failure, by how it ended and its severity (TARP).
REPURCHASE = {
    ("silent", "minor"): 0.37,
    ("silent", "major"): 0.09,
    ("unresolved", "minor"): 0.46,
    ("unresolved", "major"): 0.19,
    ("late", "minor"): 0.70,
    ("late", "major"): 0.54,
    ("sla", "minor"): 0.95,
    ("sla", "major"): 0.82,
}

# Performance the customer perceives from an adequate remedy given within the SLA.
_RECOVERY_PERFORMANCE = {"apology": 0.8, "credit_note": 0.85, "replacement": 0.9, "refund": 0.95}
COMPENSATION_CAP_RULES = 5
"""The first rules version in which a refund recovers no more than an adequate credit note."""
LATE_RECOVERY_DISCOUNT = 0.25
INADEQUATE_RECOVERY = 0.3


def remedy_adequate(remedy: str, credit_percent: float, severity: str, cause: str) -> bool:
    """Whether ``remedy`` settles a complaint of this severity and cause."""
    if remedy == "refund":
        return True
    if remedy == "replacement":
        return cause == "defect" or severity == "minor"
    if remedy == "credit_note":
        return credit_percent >= MIN_CREDIT_PERCENT[severity]
    return severity == "minor"


def recovery_performance(remedy: str, adequate: bool, within_sla: bool, rules: int = 1) -> float:
    """Performance P of the recovery experience, fed to the satisfaction update (``rules``: the
    market's rules version; from 5 a refund counts as an adequate credit note)."""
    if not adequate:
        return INADEQUATE_RECOVERY
    kind = "credit_note" if remedy == "refund" and rules >= COMPENSATION_CAP_RULES else remedy
    p = _RECOVERY_PERFORMANCE[kind]
    return p if within_sla else p - LATE_RECOVERY_DISCOUNT


def recovery_outcome(adequate: bool, within_sla: bool) -> str:
    """How a failure ended: ``sla``, ``late`` or ``unresolved``."""
    if not adequate:
        return "unresolved"
    return "sla" if within_sla else "late"
