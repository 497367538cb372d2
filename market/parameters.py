"""Market parameters: frozen, validated configuration of one market.

Every numeric field declares its allowed range, unit and help text (``spec``), so the
same table drives validation here, the instructor's forms and the CLI's ``--set``. Values
come in as plain dictionaries (a preset file, a form, an override) and are turned into
frozen dataclasses by :func:`parameters_from_dict`, which refuses anything unknown, of the
wrong type or out of range with a :class:`ParameterError` naming the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal, cast

from market.calendar import Calendar, DayKind
from market.errors import ParameterError

MarketMode = Literal["shared", "mirrored"]
INF = math.inf

RULES_VERSIONS: tuple[int, ...] = (1, 2, 3, 4, 5)
"""Rules versions of the market and its scoring this code can play (docs/scoring.md, "Rules versions")."""

LATEST_RULES = 5
"""The version new parameter sets (every preset) are played by."""

UNVERSIONED_RULES = 1
"""The version of a parameter table without ``rules``: one written before versions were recorded."""


def spec(
    default: Any,
    low: float,
    high: float,
    help: str,
    unit: str = "",
    integer: bool = False,
) -> Any:
    """A dataclass field with its allowed range [low, high], unit and help text."""
    meta = {"low": low, "high": high, "help": help, "unit": unit, "integer": integer}
    if isinstance(default, tuple):
        return field(default=default, metadata={**meta, "pair": True})
    return field(default=default, metadata=meta)


@dataclass(frozen=True, slots=True)
class SegmentParameters:
    """One customer segment: who they are, what they want and how they behave."""

    id: str = "segment"
    share: float = spec(0.0, 0, 1, "share of new inquiries", "fraction")
    quantity: tuple[float, float] = spec((1, 10), 1, 100_000, "units per order", "units", True)
    reserve_ratio: tuple[float, float] = spec(
        (0.9, 1.1), 0.1, 10, "reserve price as a multiple of the list price", "× list"
    )
    requested_terms: tuple[float, float] = spec(
        (10, 10), 0, 365, "credit terms the customer asks for", "days"
    )
    delivery_wanted: tuple[float, float] = spec(
        (3, 10), 0, 365, "latest delivery promise the customer accepts", "days"
    )
    patience_hours: float = spec(12, 0.1, 2000, "how long a customer waits for quotes", "h")
    rationality: float = spec(0.9, 0, 1, "r in λ = 50^r − 1 (1 = always the best quote)")
    inertia: float = spec(0.7, 0, 1, "probability a repeat order asks only the incumbent")
    repeat_per_30_days: float = spec(1.5, 0, 100, "mean repeat orders per 30 days", "/30 d")
    churn: float = spec(0.05, 0, 1, "drop-out probability per repeat at S = 0.6")
    late_base: float = spec(0.4, 0, 0.999, "base probability an invoice is paid late")
    late_mean_delay: float = spec(5, 0, 365, "mean delay of a late payment", "days")
    default_probability: float = spec(0.01, 0, 1, "probability an invoice is never paid")
    on_time: float = spec(0.9, 0, 1, "probability a delivery arrives on the promised day")
    defect: float = spec(0.03, 0, 1, "probability a delivery is defective")
    complaint_probability: float = spec(0.6, 0, 1, "probability a failure becomes a complaint")
    major_share: float = spec(0.3, 0, 1, "share of complaints that are major")
    risk_spread: float = spec(0.5, 0, 5, "spread of customer risk on the late-payment logit")
    list_discount: float = spec(
        0.0, 0, 0.5, "price-list discount for this segment (key accounts)", "fraction"
    )
    terms_expectation: float = spec(
        0.0,
        0,
        2,
        "rules 2: utility lost when granted none of the credit terms asked for (pro rata for part)",
        "utility",
    )


@dataclass(frozen=True, slots=True)
class ProductParameters:
    """The one product every team sells, and its price list."""

    list_price: float = spec(100.0, 0.01, 1e9, "list price per unit", "¤")
    unit_cost: float = spec(76.0, 0, 1e9, "cost of goods per unit, paid on delivery", "¤")
    order_cost: float = spec(50.0, 0, 1e9, "handling cost of each delivered order", "¤")
    volume_threshold: float = spec(50, 1, 1e6, "quantity from which the volume discount applies", "units")
    volume_discount: float = spec(0.03, 0, 0.5, "price-list discount for large orders", "fraction")
    lead_time_days: float = spec(3, 0, 365, "promises shorter than this are less often on time", "days")
    loyalty_discount: float = spec(0.02, 0, 0.5, "price-list discount for returning customers", "fraction")
    late_penalty_per_day: float = spec(0.02, 0, 1, "invoice credit per day of late delivery", "fraction")
    void_after_late_days: float = spec(5, 0, 365, "an order this late is voided", "days")


@dataclass(frozen=True, slots=True)
class ServiceParameters:
    """Complaints, SLAs, remedies and the costs of service actions."""

    complaint_delay_days: float = spec(0.5, 0, 100, "mean delay from failure to complaint", "days")
    sla_minor_hours: float = spec(4, 0.1, 2000, "time to resolve a minor complaint", "h")
    sla_major_hours: float = spec(8, 0.1, 2000, "time to resolve a major complaint", "h")
    escalate_after_hours: float = spec(8, 0, 2000, "unresolved majors escalate this long after the SLA", "h")
    survey_cost: float = spec(40, 0, 1e9, "cost of one satisfaction survey", "¤")
    survey_hours: float = spec(2, 0, 2000, "time until a survey answers", "h")
    credit_check_cost: float = spec(30, 0, 1e9, "cost of one credit check", "¤")
    care_cost: float = spec(120, 0, 1e9, "cost of one account-care visit", "¤")
    care_days: float = spec(30, 0, 3650, "how long account care protects against churn", "days")
    care_churn_factor: float = spec(0.1, 0, 1, "churn multiplier while account care lasts")
    collection_recovery: float = spec(0.6, 0, 1, "share of the open amount a collector recovers")
    collection_days: float = spec(3, 0, 365, "time a collector needs", "days")
    writeoff_after_days: float = spec(
        15, 0, 3650, "unpaid invoices are written off this long after due", "days"
    )
    reminder_gap_days: float = spec(
        2, 0, 365, "a reminder sooner than this after the last is repeated", "days"
    )
    unchased_delay_factor: float = spec(
        1.0,
        1,
        20,
        "rules 3: a late payer no reminder reaches within the reminder gap after due takes this"
        " many times as long for the rest of its delay",
        "×",
    )


@dataclass(frozen=True, slots=True)
class SatisfactionParameters:
    """Expectation–disconfirmation satisfaction and the penalties that move it."""

    initial: float = spec(0.6, 0, 1, "S0, satisfaction before any experience")
    expectation: float = spec(0.7, 0, 1, "E0, expectation before any experience")
    smoothing: float = spec(0.3, 0, 1, "weight of a new experience in S")
    learning: float = spec(0.3, 0, 1, "speed at which expectation follows performance")
    ignored_penalty: float = spec(0.1, 0, 1, "S lost when an inquiry expires unanswered")
    overpriced_penalty: float = spec(
        0.01, 0, 1, "rules v2: S lost for a quote above what the customer will pay, when it buys nothing"
    )
    sla_penalty: float = spec(0.1, 0, 1, "S lost when a complaint misses its SLA")
    dunning_penalty: float = spec(0.05, 0, 1, "S lost for an early or repeated reminder")
    collection_penalty: float = spec(0.2, 0, 1, "S lost when an invoice goes to collection")
    care_lift: float = spec(0.02, 0, 1, "S gained from an account-care visit")


@dataclass(frozen=True, slots=True)
class MarketParameters:
    """Everything that defines one market; the unit of presets and overrides."""

    name: str = "custom"
    description: str = ""
    rules: int = spec(
        LATEST_RULES,
        1,
        LATEST_RULES,
        "version of the market and scoring rules (a table without it is version 1)",
        integer=True,
    )
    day_kind: DayKind = "business"
    mode: MarketMode = "shared"
    days_per_round: float = spec(5, 0.125, 365, "length of one round", "days")
    rounds: int = spec(5, 1, 100, "number of rounds", "", True)
    shortlist_size: int = spec(3, 1, 50, "teams a new customer asks for a quote", "", True)
    inquiries_per_team_per_day: float = spec(3.0, 0, 1000, "new inquiries each team receives", "/day")
    demand_walk_step: float = spec(0.01, 0, 0.5, "daily step of the demand trend's random walk")
    demand_trend_bound: float = spec(0.95, 0.5, 1, "trend stays in [b, 1/b]")
    demand_bounds: tuple[float, float] = spec(
        (0.5, 1.5), 0, 100, "demand level stays in this range", "× base"
    )
    reply_tau_hours: float = spec(4, 0.01, 2000, "τ of the engagement decay e(t)", "h")
    engagement_floor: float = spec(0.0075, 0, 1, "e_min, engagement after a very late reply")
    consideration_hours: float = spec(1, 0, 2000, "time a customer takes once every quote is in", "h")
    followup_factor: float = spec(0.5, 0, 1, "engagement of a follow-up relative to a reply")
    switching_cost: float = spec(0.05, 0, 1, "utility lost when leaving the incumbent")
    reputation_weight: float = spec(2.0, 0, 20, "how strongly reputation steers the shortlist")
    campaign_lift: float = spec(0.5, 0, 10, "largest demand lift a campaign can buy", "× base")
    campaign_scale: float = spec(2000, 1, 1e9, "budget that buys 63 % of the largest lift", "¤")
    campaign_days: float = spec(5, 0, 365, "how long a campaign lasts", "days")
    starting_cash: float = spec(30_000, 0, 1e12, "cash each team starts with", "¤")
    product: ProductParameters = field(default_factory=ProductParameters)
    service: ServiceParameters = field(default_factory=ServiceParameters)
    satisfaction: SatisfactionParameters = field(default_factory=SatisfactionParameters)
    segments: tuple[SegmentParameters, ...] = ()

    @property
    def calendar(self) -> Calendar:
        """The calendar that converts this market's day figures to simulated hours."""
        return Calendar(self.day_kind, self.days_per_round)

    def segment(self, segment_id: str) -> SegmentParameters:
        """The segment called ``segment_id``; ParameterError if there is none."""
        for seg in self.segments:
            if seg.id == segment_id:
                return seg
        known = ", ".join(s.id for s in self.segments)
        raise ParameterError("segment", f"unknown segment {segment_id!r}; known: {known}")


_CHOICES: dict[str, tuple[str, ...]] = {"day_kind": ("business", "calendar"), "mode": ("shared", "mirrored")}


def _check_number(path: str, value: Any, meta: dict[str, Any]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParameterError(path, f"must be a number, got {value!r}")
    if math.isnan(value) or math.isinf(value):
        raise ParameterError(path, f"must be a finite number, got {value!r}")
    low, high = meta["low"], meta["high"]
    if not low <= value <= high:
        unit = f" {meta['unit']}" if meta["unit"] else ""
        raise ParameterError(path, f"{value:g} is out of range; allowed {low:g} to {high:g}{unit}")
    if meta["integer"] and not meta.get("pair") and value != int(value):
        raise ParameterError(path, f"must be a whole number, got {value!r}")
    return int(value) if meta["integer"] and not meta.get("pair") else float(value)


def _check_pair(path: str, value: Any, meta: dict[str, Any]) -> tuple[float, float]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = (value, value)
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ParameterError(path, f"must be a [min, max] pair, got {value!r}")
    low = _check_number(f"{path}[0]", value[0], {**meta, "pair": True})
    high = _check_number(f"{path}[1]", value[1], {**meta, "pair": True})
    if low > high:
        raise ParameterError(path, f"min {low:g} is greater than max {high:g}; swap them")
    return (low, high)


def _build(cls: type, data: dict[str, Any], path: str) -> Any:
    """Build dataclass ``cls`` from ``data``, validating each field."""
    if not isinstance(data, dict):
        raise ParameterError(path or "parameters", f"must be a table of fields, got {data!r}")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        where = f"{path}." if path else ""
        raise ParameterError(
            f"{where}{unknown[0]}", f"unknown parameter; known here: {', '.join(sorted(known))}"
        )
    values: dict[str, Any] = {}
    for name, f in known.items():
        fpath = f"{path}.{name}" if path else name
        factory: Any = f.default_factory
        nested = factory if isinstance(factory, type) else None
        raw: Any
        if name not in data:
            if name == "rules":
                values[name] = UNVERSIONED_RULES
                continue
            if name == "segments" or not (f.metadata or nested):
                continue
            # defaults go through the same checks, so every value has its canonical type
            raw = {} if nested else f.default
        else:
            raw = data[name]
        if name == "rules":
            values[name] = _check_rules(data.get(name, UNVERSIONED_RULES), fpath)
        elif name == "segments":
            values[name] = _build_segments(raw, fpath)
        elif nested is not None:
            values[name] = _build(nested, raw, fpath)
        elif f.metadata.get("pair"):
            values[name] = _check_pair(fpath, raw, dict(f.metadata))
        elif f.metadata:
            values[name] = _check_number(fpath, raw, dict(f.metadata))
        else:
            if not isinstance(raw, str):
                raise ParameterError(fpath, f"must be text, got {raw!r}")
            choices = _CHOICES.get(name)
            if choices and raw not in choices:
                raise ParameterError(fpath, f"{raw!r} is not allowed; choose one of {', '.join(choices)}")
            values[name] = raw
    return cls(**values)


def _check_rules(value: Any, path: str) -> int:
    """A known rules version, or ParameterError naming the versions this code plays."""
    known = ", ".join(str(v) for v in RULES_VERSIONS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ParameterError(path, f"must be a rules version ({known}), got {value!r}")
    if value not in RULES_VERSIONS:
        raise ParameterError(
            path,
            f"rules version {value} is newer than this server, which plays versions {known}; "
            "open it with the Salesfloor release that made it",
        )
    return value


def _build_segments(raw: Any, path: str) -> tuple[SegmentParameters, ...]:
    if not isinstance(raw, dict) or not raw:
        raise ParameterError(path, "must name at least one segment, e.g. [segments.smb]")
    segments = []
    for seg_id, seg_data in raw.items():
        if not isinstance(seg_data, dict):
            raise ParameterError(f"{path}.{seg_id}", "must be a table of segment fields")
        if not seg_id.replace("_", "").isalnum():
            raise ParameterError(f"{path}.{seg_id}", "segment ids use letters, digits and _ only")
        segments.append(_build(SegmentParameters, {**seg_data, "id": seg_id}, f"{path}.{seg_id}"))
    return tuple(segments)


def _check_whole(params: MarketParameters) -> None:
    """Rules that involve several fields."""
    total = sum(s.share for s in params.segments)
    if abs(total - 1.0) > 1e-6:
        shares = ", ".join(f"{s.id} {s.share:.0%}" for s in params.segments)
        raise ParameterError(
            "segments.*.share", f"shares must add up to 100 %, they add up to {total:.1%} ({shares})"
        )
    if params.product.unit_cost > params.product.list_price:
        raise ParameterError(
            "product.unit_cost",
            f"{params.product.unit_cost:g} is above the list price {params.product.list_price:g}; "
            "lower the cost or raise the list price",
        )
    low, high = params.demand_bounds
    if not low <= 1.0 <= high:
        raise ParameterError("demand_bounds", f"[{low:g}, {high:g}] must contain 1 (the base level)")


def parameters_from_dict(data: dict[str, Any]) -> MarketParameters:
    """Validated :class:`MarketParameters` from a plain dictionary (e.g. a parsed preset)."""
    params = cast(MarketParameters, _build(MarketParameters, data, ""))
    if not params.segments:
        raise ParameterError("segments", "must name at least one segment, e.g. [segments.smb]")
    _check_whole(params)
    return params


def parameters_to_dict(params: Any) -> Any:
    """Plain, JSON-ready dictionary of ``params`` (the inverse of parameters_from_dict)."""
    if is_dataclass(params) and not isinstance(params, type):
        out: dict[str, Any] = {}
        for f in fields(params):
            value = getattr(params, f.name)
            if f.name == "segments":
                out[f.name] = {
                    s.id: {k: v for k, v in parameters_to_dict(s).items() if k != "id"} for s in value
                }
            else:
                out[f.name] = parameters_to_dict(value)
        return out
    if isinstance(params, tuple):
        return list(params)
    return params
