"""A parameterised strategy family: every lever a team's routine can set, as one value.

A ``Strategy`` fixes how a team quotes (discount and share of the requested credit terms per
segment, a floor on terms, how fast it replies, whether it follows up), whom it serves
(segments it declines, credit checks, customers graded D, a credit limit per customer), how
it handles complaints (remedy per severity), how it collects (first reminder, how many,
hand-over to a collector, write-off) and what it spends on care and campaigns. The default
value is the ``balanced`` reference bot's routine; every other point changes some levers.

A strategy travels as a bot name, ``strategy:`` followed by the levers that differ from the
default (``strategy:discount.smb=0.1;remind=none``), so a season played by one replays from
its command log like any other, and ``describe`` says in words what it does.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from market.remedies import MIN_CREDIT_PERCENT, REMEDIES
from teams.errors import TeamError

PREFIX = "strategy:"
NONE = "none"
PACE = "pace"
"""The ``reply`` lever's name for the reference pace of the market (the default)."""
BALANCED_DISCOUNTS: Mapping[str, float] = {"key_accounts": 0.02, "smb": 0.06, "price_shoppers": 0.14}
DEFAULT_DISCOUNT = 0.06
MAX_TERMS_SHARE = 3.0
MAX_REMINDERS = 6


@dataclass(frozen=True, slots=True)
class Strategy:
    """One point of the family. Per-segment levers are (segment, value) pairs; a segment not
    named takes the family's default (discount 6 %, the terms it asked for)."""

    discount: tuple[tuple[str, float], ...] = tuple(sorted(BALANCED_DISCOUNTS.items()))
    """Position discount per segment, on top of the price list (capped where it would sell below cost)."""
    terms: tuple[tuple[str, float], ...] = ()
    """Share of the requested credit terms granted per segment (0 = cash on delivery, 1 = as asked)."""
    terms_floor_days: float = 0.0
    """Every quote grants at least this many days of credit (capped at the desk's limit)."""
    reply_hours: float | None = None
    """Business hours from an inquiry to the quote (half of it to a credit check, half after);
    None: the reference pace of the market (``teams.bots.pace``), as ``balanced`` replies."""
    follow_up_hours: float | None = None
    """Call about an undecided quote this long after sending it; None: never."""
    check_credit: tuple[str, ...] = ("key_accounts",)
    """Segments whose credit grade is checked (once per customer) before the first quote."""
    grade_d_terms: float = 0.5
    """Share of the usual terms a customer graded D gets."""
    decline_grade_d: bool = False
    """Decline inquiries of customers graded D instead of quoting them."""
    decline: tuple[str, ...] = ()
    """Segments whose inquiries are declined."""
    credit_limit: float | None = None
    """Set this credit limit on every customer; a quote beyond it is on cash-on-delivery terms."""
    minor_remedy: tuple[str, float] = ("apology", 0.0)
    """Remedy (and credit-note percent) for minor complaints."""
    major_remedy: tuple[str, float] = ("credit_note", 15.0)
    """Remedy (and credit-note percent) for major complaints."""
    remind_days: float | None = 0.5
    """Days after the due date of the first reminder; None: never remind."""
    reminders: int = 3
    """Most reminders per invoice (later ones two reminder gaps apart)."""
    collect_share: float | None = 2 / 3
    """Hand an unpaid invoice to a collector at this share of the write-off grace; None: never."""
    writeoff_share: float | None = None
    """Write an unpaid invoice off at this share of the write-off grace (0: when due); None: never."""
    care: tuple[str, ...] = ("key_accounts",)
    """Segments whose accounts get a care visit after a delivery (at most once per care period)."""
    campaign_budget: float = 0.0
    """Campaign budget launched at the start of every round (0: none)."""
    campaign_segment: str = "smb"

    def discount_for(self, segment: str) -> float:
        return dict(self.discount).get(segment, DEFAULT_DISCOUNT)

    def terms_share_for(self, segment: str) -> float:
        return dict(self.terms).get(segment, 1.0)

    def with_segment(self, lever: str, segment: str, value: float) -> Strategy:
        """A copy with ``lever`` (discount or terms) of ``segment`` set to ``value``."""
        pairs = dict(getattr(self, lever))
        pairs[segment] = value
        changes: dict[str, Any] = {lever: tuple(sorted(pairs.items()))}
        return dataclasses.replace(self, **changes)


BALANCED = Strategy()
"""The balanced bot's routine, as a point of the family."""


def segments_named(s: Strategy) -> set[str]:
    """The segments a strategy names beyond the family's defaults (a market must have them)."""
    named = {seg for seg, _ in s.terms} | set(s.check_credit) | set(s.decline) | set(s.care)
    named |= {seg for seg, value in s.discount if BALANCED_DISCOUNTS.get(seg) != value}
    if s.campaign_budget > 0:
        named.add(s.campaign_segment)
    return named


# --- the bot name: strategy:<lever>=<value>;… ----------------------------------------------------------


def _num(x: float) -> str:
    return f"{round(x, 4):g}"


def _opt(x: float | None) -> str:
    return NONE if x is None else _num(x)


def _segs(xs: tuple[str, ...]) -> str:
    return "+".join(xs) if xs else NONE


def _remedy(r: tuple[str, float]) -> str:
    return f"credit_note{_num(r[1])}" if r[0] == "credit_note" else r[0]


def _fields(s: Strategy) -> dict[str, str]:
    out: dict[str, str] = {}
    for seg in sorted(set(BALANCED_DISCOUNTS) | dict(s.discount).keys()):
        out[f"discount.{seg}"] = _num(s.discount_for(seg))
    for seg, _ in s.terms:
        out[f"terms.{seg}"] = _num(s.terms_share_for(seg))
    out |= {
        "floor": _num(s.terms_floor_days),
        "reply": PACE if s.reply_hours is None else _num(s.reply_hours),
        "followup": _opt(s.follow_up_hours),
        "check": _segs(s.check_credit),
        "d_terms": _num(s.grade_d_terms),
        "decline_d": "yes" if s.decline_grade_d else "no",
        "decline": _segs(s.decline),
        "limit": _opt(s.credit_limit),
        "minor": _remedy(s.minor_remedy),
        "major": _remedy(s.major_remedy),
        "remind": _opt(s.remind_days),
        "reminders": str(s.reminders),
        "collect": _opt(s.collect_share),
        "writeoff": _opt(s.writeoff_share),
        "care": _segs(s.care),
        "campaign": _num(s.campaign_budget),
        "campaign_segment": s.campaign_segment,
    }
    return out


def to_spec(strategy: Strategy) -> str:
    """The bot name of ``strategy``: ``strategy:`` and the levers that differ from balanced."""
    base = _fields(BALANCED)
    mine = _fields(strategy)
    changed = [f"{k}={v}" for k, v in mine.items() if base.get(k) != v]
    return PREFIX + ";".join(changed)


def is_spec(name: str) -> bool:
    return name.startswith(PREFIX)


def _bad(key: str, value: str, expected: str) -> TeamError:
    return TeamError(f"strategy lever {key}={value!r}: expected {expected}")


def _parse_num(key: str, value: str, low: float, high: float) -> float:
    try:
        x = float(value)
    except ValueError:
        raise _bad(key, value, f"a number from {low:g} to {high:g}") from None
    if not math.isfinite(x) or not low <= x <= high:
        raise _bad(key, value, f"a number from {low:g} to {high:g}")
    return x


def _parse_opt(key: str, value: str, low: float, high: float) -> float | None:
    return None if value == NONE else _parse_num(key, value, low, high)


def _parse_segs(value: str) -> tuple[str, ...]:
    return () if value == NONE else tuple(sorted(v for v in value.split("+") if v))


def _parse_remedy(key: str, value: str) -> tuple[str, float]:
    if value.startswith("credit_note"):
        return ("credit_note", _parse_num(key, value[len("credit_note") :] or "x", 1, 100))
    if value in REMEDIES:
        return (value, 0.0)
    return _bad_remedy(key, value)


def _bad_remedy(key: str, value: str) -> tuple[str, float]:
    raise _bad(key, value, "apology, replacement, refund or credit_note<percent> (e.g. credit_note15)")


def from_spec(name: str) -> Strategy:
    """The strategy a ``strategy:…`` bot name stands for; TeamError says which lever is wrong."""
    if not is_spec(name):
        raise TeamError(f"{name!r} is not a strategy; strategies start with {PREFIX!r}")
    s = BALANCED
    body = name[len(PREFIX) :]
    for part in filter(None, body.split(";")):
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep:
            raise TeamError(f"strategy lever {part!r}: write LEVER=VALUE, e.g. discount.smb=0.08")
        if key.startswith("discount."):
            s = s.with_segment("discount", key[9:], _parse_num(key, value, 0, 0.99))
        elif key.startswith("terms."):
            s = s.with_segment("terms", key[6:], _parse_num(key, value, 0, MAX_TERMS_SHARE))
        elif key in _SETTERS:
            s = dataclasses.replace(s, **{_SETTERS[key][0]: _SETTERS[key][1](key, value)})
        else:
            levers = ", ".join(["discount.SEGMENT", "terms.SEGMENT", *_SETTERS])
            raise TeamError(f"unknown strategy lever {key!r}; levers: {levers}")
    return s


def _yes_no(key: str, value: str) -> bool:
    if value not in ("yes", "no"):
        raise _bad(key, value, "yes or no")
    return value == "yes"


def _whole(key: str, value: str) -> int:
    x = _parse_num(key, value, 0, MAX_REMINDERS)
    if x != int(x):
        raise _bad(key, value, f"a whole number from 0 to {MAX_REMINDERS}")
    return int(x)


_SETTERS: dict[str, tuple[str, Callable[[str, str], Any]]] = {
    "floor": ("terms_floor_days", lambda k, v: _parse_num(k, v, 0, 120)),
    "reply": ("reply_hours", lambda k, v: None if v == PACE else _parse_num(k, v, 0.01, 100)),
    "followup": ("follow_up_hours", lambda k, v: _parse_opt(k, v, 0.01, 100)),
    "check": ("check_credit", lambda k, v: _parse_segs(v)),
    "d_terms": ("grade_d_terms", lambda k, v: _parse_num(k, v, 0, 1)),
    "decline_d": ("decline_grade_d", _yes_no),
    "decline": ("decline", lambda k, v: _parse_segs(v)),
    "limit": ("credit_limit", lambda k, v: _parse_opt(k, v, 0, 1e9)),
    "minor": ("minor_remedy", _parse_remedy),
    "major": ("major_remedy", _parse_remedy),
    "remind": ("remind_days", lambda k, v: _parse_opt(k, v, 0, 60)),
    "reminders": ("reminders", _whole),
    "collect": ("collect_share", lambda k, v: _parse_opt(k, v, 0, 1)),
    "writeoff": ("writeoff_share", lambda k, v: _parse_opt(k, v, 0, 1)),
    "care": ("care", lambda k, v: _parse_segs(v)),
    "campaign": ("campaign_budget", lambda k, v: _parse_num(k, v, 0, 1e6)),
    "campaign_segment": ("campaign_segment", lambda k, v: v),
}


# --- in words ------------------------------------------------------------------------------------------


def _remedy_words(r: tuple[str, float], severity: str) -> str:
    name = (
        f"a {r[1]:g} % credit note"
        if r[0] == "credit_note"
        else f"an {r[0]}"
        if r[0] == "apology"
        else f"a {r[0]}"
    )
    if r[0] == "credit_note" and r[1] < MIN_CREDIT_PERCENT[severity]:
        name += " (too small to settle it)"
    if r[0] == "apology" and severity == "major":
        name += " (not enough to settle it)"
    return name


def _pct(x: float) -> str:
    return f"{x * 100:.0f} %"


def describe(s: Strategy, segments: tuple[str, ...]) -> list[str]:
    """What the strategy does, one short sentence per habit, for the segments of a market."""
    served = [seg for seg in segments if seg not in s.decline]
    out: list[str] = []
    prices = ", ".join(f"{seg} {_pct(s.discount_for(seg))}" for seg in served)
    terms = ", ".join(
        "cash on delivery" if s.terms_share_for(seg) == 0 else f"{seg} ×{s.terms_share_for(seg):g}"
        for seg in served
    )
    pace = "at the reference pace" if s.reply_hours is None else f"in {s.reply_hours:g} h"
    out.append(f"replies {pace}; discounts {prices or 'none'}")
    floor = f", at least {s.terms_floor_days:g} days" if s.terms_floor_days > 0 else ""
    out.append(f"grants the requested terms {terms or '-'}{floor}")
    if s.decline:
        out.append(f"declines {', '.join(s.decline)}")
    check = f"checks credit of {', '.join(s.check_credit)}" if s.check_credit else "never checks credit"
    d = (
        "declines D-graded customers"
        if s.decline_grade_d
        else f"gives D-graded ones ×{s.grade_d_terms:g} terms"
    )
    out.append(f"{check}; {d}" if s.check_credit else check)
    if s.credit_limit is not None:
        out.append(f"credit limit {s.credit_limit:,.0f} per customer, cash on delivery beyond it")
    if s.follow_up_hours is not None:
        out.append(f"follows up undecided quotes after {s.follow_up_hours:g} h")
    out.append(
        f"minor complaints: {_remedy_words(s.minor_remedy, 'minor')}; "
        f"major: {_remedy_words(s.major_remedy, 'major')}"
    )
    if s.writeoff_share == 0:
        out.append("writes every unpaid invoice off the day it falls due")
    else:
        collect = []
        if s.remind_days is not None and s.reminders > 0:
            collect.append(f"reminds {s.remind_days:g} days after due (up to {s.reminders}×)")
        else:
            collect.append("never reminds")
        if s.collect_share is not None:
            collect.append(f"hands over at {_pct(s.collect_share)} of the write-off grace")
        else:
            collect.append("never hands over")
        if s.writeoff_share is not None:
            collect.append(f"writes off at {_pct(s.writeoff_share)} of the grace")
        out.append(", ".join(collect))
    if s.care:
        out.append(f"visits {', '.join(s.care)} after deliveries (account care)")
    if s.campaign_budget > 0:
        out.append(f"a {s.campaign_budget:,.0f} campaign for {s.campaign_segment} every round")
    return out


def extremes(s: Strategy, segments: tuple[str, ...], largest_discount: Mapping[str, float]) -> list[str]:
    """The single-lever extremes this strategy plays (the degenerate habits the issue names)."""
    served = [seg for seg in segments if seg not in s.decline]
    out = []
    if served and all(s.terms_share_for(seg) == 0 for seg in served) and s.terms_floor_days == 0:
        out.append("no credit")
    if s.terms_floor_days >= 15 or all(s.terms_share_for(seg) >= MAX_TERMS_SHARE for seg in served):
        out.append("all credit")
    if served and all(s.discount_for(seg) == 0 for seg in served):
        out.append("list price only")
    if served and all(s.discount_for(seg) >= largest_discount.get(seg, 1.0) - 1e-9 for seg in served):
        out.append("maximum discount")
    if (s.remind_days is None or s.reminders == 0) and s.collect_share is None and s.writeoff_share != 0:
        out.append("never collect")
    if s.writeoff_share == 0:
        out.append("write everything off")
    if not served:
        out.append("declines everything")
    return out
