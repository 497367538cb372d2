"""Market parameters: presets load, bad values are refused naming the field, overrides, round trip."""

from __future__ import annotations

import copy
import dataclasses
import math
from typing import Any

import pytest

from market.errors import MarketError, ParameterError
from market.overrides import apply_overrides, parse_override, parse_value
from market.parameters import (
    MarketParameters,
    ProductParameters,
    SatisfactionParameters,
    SegmentParameters,
    ServiceParameters,
    parameters_from_dict,
    parameters_to_dict,
)
from market.presets import load_preset, preset_data, preset_names
from simulator.competition import Competition, TeamSpec

PRESETS = ("calm", "classroom", "credit-crunch", "realistic", "rush")


def classroom_data() -> dict[str, Any]:
    """A fresh, mutable copy of the classroom preset's raw dictionary."""
    return copy.deepcopy(preset_data("classroom"))


def refusal(data: dict[str, Any]) -> ParameterError:
    with pytest.raises(ParameterError) as info:
        parameters_from_dict(data)
    return info.value


# --- presets ------------------------------------------------------------------------------------


def test_preset_names_are_the_five_shipped_presets() -> None:
    assert preset_names() == list(PRESETS)


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_and_is_consistent(name: str) -> None:
    params = load_preset(name)
    assert isinstance(params, MarketParameters)
    assert params.name == name
    assert params.segments, "a preset needs segments"
    assert math.isclose(sum(s.share for s in params.segments), 1.0, abs_tol=1e-9)
    assert params.product.unit_cost <= params.product.list_price
    assert [s.id for s in params.segments] == ["key_accounts", "smb", "price_shoppers"]


def test_calm_gives_a_team_the_classroom_s_working_capital_per_inquiry() -> None:
    """Half the demand, half the starting cash: cash binds a team that sells at a loss in calm as it
    does in the classroom (docs/market.md, "Starting cash")."""
    calm, classroom = load_preset("calm"), load_preset("classroom")
    assert calm.inquiries_per_team_per_day == classroom.inquiries_per_team_per_day / 2
    assert calm.starting_cash / calm.inquiries_per_team_per_day == pytest.approx(
        classroom.starting_cash / classroom.inquiries_per_team_per_day
    )


def test_classroom_matches_the_design_table() -> None:
    """DESIGN §4: the classroom segments' shares, rationality, inertia and payment figures.

    (The design's classroom requested terms, 20 / 10 / 0–5 days, are a default the preset
    may tune; only their order and the "due within one to four rounds" rule are pinned.)
    """
    p = load_preset("classroom")
    ka, smb, ps = (p.segment(s) for s in ("key_accounts", "smb", "price_shoppers"))
    assert (ka.share, smb.share, ps.share) == (0.15, 0.45, 0.40)
    assert (ka.quantity, smb.quantity, ps.quantity) == ((20, 100), (5, 30), (1, 10))
    assert (ka.reserve_ratio, smb.reserve_ratio, ps.reserve_ratio) == (
        (0.95, 1.25),
        (0.85, 1.15),
        (0.75, 1.05),
    )
    # requested terms: longer for bigger customers, and short enough that invoices come due
    # within one to four rounds (DESIGN §2)
    assert ka.requested_terms[0] > smb.requested_terms[1] > ps.requested_terms[0]
    assert ps.requested_terms[0] == 0
    assert max(s.requested_terms[1] for s in p.segments) <= 4 * p.days_per_round
    assert (ka.rationality, smb.rationality, ps.rationality) == (0.8, 0.9, 0.95)
    assert (ka.inertia, smb.inertia, ps.inertia) == (0.8, 0.7, 0.4)
    assert (ka.repeat_per_30_days, smb.repeat_per_30_days, ps.repeat_per_30_days) == (3.0, 1.5, 0.5)
    assert (ka.late_base, smb.late_base, ps.late_base) == (0.35, 0.45, 0.50)
    assert (ka.late_mean_delay, smb.late_mean_delay, ps.late_mean_delay) == (3, 6, 8)
    assert (ka.default_probability, smb.default_probability, ps.default_probability) == (0.005, 0.015, 0.03)
    assert p.reply_tau_hours == 4.0
    assert p.engagement_floor == 0.0075
    assert p.service.writeoff_after_days == 15
    assert (p.satisfaction.initial, p.satisfaction.expectation) == (0.6, 0.7)


def test_realistic_keeps_calendar_figures() -> None:
    p = load_preset("realistic")
    assert p.day_kind == "calendar"
    assert p.reply_tau_hours == 0.5
    assert p.service.writeoff_after_days == 90
    assert p.segment("key_accounts").requested_terms == (60, 60)
    assert p.segment("smb").requested_terms == (30, 30)
    assert p.segment("price_shoppers").requested_terms == (0, 15)
    assert (
        p.segment("key_accounts").late_mean_delay,
        p.segment("smb").late_mean_delay,
        p.segment("price_shoppers").late_mean_delay,
    ) == (10, 20, 25)


def test_unknown_preset_is_refused_with_the_choices() -> None:
    with pytest.raises(ParameterError) as info:
        load_preset("nope")
    assert info.value.field == "preset"
    assert "classroom" in str(info.value)


# --- refusals -----------------------------------------------------------------------------------


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    node = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return data


REFUSALS: list[tuple[str, Any, str, str]] = [
    # (path, value, field named in the error, words in the message)
    ("bogus", 1, "bogus", "unknown parameter"),
    ("product.bogus", 1, "product.bogus", "unknown parameter"),
    ("segments.smb.bogus", 1, "segments.smb.bogus", "unknown parameter"),
    ("inquiries_per_team_per_day", -1.0, "inquiries_per_team_per_day", "out of range"),
    ("segments.smb.repeat_per_30_days", -0.5, "segments.smb.repeat_per_30_days", "out of range"),
    ("product.unit_cost", -1, "product.unit_cost", "out of range"),
    ("segments.smb.late_base", 1.0, "segments.smb.late_base", "out of range"),
    ("reply_tau_hours", 0.0, "reply_tau_hours", "out of range"),
    ("rounds", 0, "rounds", "out of range"),
    ("rounds", 2.5, "rounds", "whole number"),
    ("reply_tau_hours", float("nan"), "reply_tau_hours", "finite"),
    ("starting_cash", float("inf"), "starting_cash", "finite"),
    ("segments.smb.churn", float("-inf"), "segments.smb.churn", "finite"),
    ("rounds", True, "rounds", "must be a number"),
    ("segments.smb.inertia", False, "segments.smb.inertia", "must be a number"),
    ("starting_cash", "lots", "starting_cash", "must be a number"),
    ("segments.smb.quantity", [30, 5], "segments.smb.quantity", "greater than max"),
    (
        "segments.key_accounts.reserve_ratio",
        [1.25, 0.95],
        "segments.key_accounts.reserve_ratio",
        "greater than max",
    ),
    ("demand_bounds", [1.5, 0.5], "demand_bounds", "greater than max"),
    ("segments.smb.quantity", [5, 30, 50], "segments.smb.quantity", "pair"),
    ("segments.smb.quantity", [5, float("nan")], "segments.smb.quantity[1]", "finite"),
    ("segments.smb.quantity", [0, 30], "segments.smb.quantity[0]", "out of range"),
    ("mode", "solo", "mode", "shared, mirrored"),
    ("mode", 1, "mode", "must be text"),
    ("day_kind", "weekday", "day_kind", "business, calendar"),
    ("product", 5, "product", "table"),
    ("segments.smb.share", 1.4, "segments.smb.share", "out of range"),
    ("segments.smb.share", 0.5, "segments.*.share", "100 %"),
    ("product.unit_cost", 120.0, "product.unit_cost", "list price"),
    ("demand_bounds", [1.1, 1.5], "demand_bounds", "must contain 1"),
]


@pytest.mark.parametrize(
    ("path", "value", "field", "words"), REFUSALS, ids=[f"{r[0]}={r[1]!r}" for r in REFUSALS]
)
def test_bad_values_are_refused_naming_the_field(path: str, value: Any, field: str, words: str) -> None:
    error = refusal(_set(classroom_data(), path, value))
    assert error.field == field
    assert words in error.reason
    assert str(error).startswith(f"{field}: ")
    assert isinstance(error, MarketError) and isinstance(error, ValueError)


def test_shares_message_lists_every_segment() -> None:
    data = _set(classroom_data(), "segments.smb.share", 0.35)
    error = refusal(data)
    assert "90.0%" in error.reason
    for seg in ("key_accounts", "smb", "price_shoppers"):
        assert seg in error.reason


def test_segments_are_required() -> None:
    data = classroom_data()
    del data["segments"]
    assert refusal(data).field == "segments"
    data["segments"] = {}
    assert refusal(data).field == "segments"


def test_bad_segment_id_is_refused() -> None:
    data = classroom_data()
    data["segments"]["bad-id!"] = data["segments"].pop("smb")
    assert refusal(data).field == "segments.bad-id!"


def test_a_single_number_is_accepted_for_a_pair() -> None:
    params = parameters_from_dict(_set(classroom_data(), "segments.smb.quantity", 12))
    assert params.segment("smb").quantity == (12.0, 12.0)


def test_unknown_segment_lookup_is_refused() -> None:
    with pytest.raises(ParameterError) as info:
        load_preset("classroom").segment("whales")
    assert info.value.field == "segment"
    assert "smb" in info.value.reason


# --- overrides ----------------------------------------------------------------------------------


def test_parse_override_values() -> None:
    assert parse_override("rounds=3") == ("rounds", 3)
    assert parse_override(" segments.smb.share = 0.4 ") == ("segments.smb.share", 0.4)
    assert parse_override("segments.smb.quantity=5:30") == ("segments.smb.quantity", [5, 30])
    assert parse_override("mode=mirrored") == ("mode", "mirrored")
    assert parse_value("1e3") == 1000.0 and isinstance(parse_value("1e3"), float)
    assert isinstance(parse_value("3.0"), float)
    for bad in ("rounds", "=3", "rounds=", " = "):
        with pytest.raises(ParameterError):
            parse_override(bad)


def test_override_out_of_range_share_is_refused() -> None:
    params = load_preset("classroom")
    with pytest.raises(ParameterError) as info:
        apply_overrides(params, [parse_override("segments.smb.share=1.4")])
    assert info.value.field == "segments.smb.share"
    assert "out of range" in info.value.reason


def test_override_that_breaks_the_share_sum_is_refused_with_the_rule() -> None:
    params = load_preset("classroom")
    with pytest.raises(ParameterError) as info:
        apply_overrides(params, [parse_override("segments.smb.share=0.5")])
    assert info.value.field == "segments.*.share"


def test_segment_alias_and_valid_overrides_apply() -> None:
    params = load_preset("classroom")
    changed = apply_overrides(
        params,
        [
            parse_override("segment.smb.share=0.40"),
            parse_override("segment.price_shoppers.share=0.45"),
            parse_override("product.unit_cost=70"),
            parse_override("mode=mirrored"),
            parse_override("segments.smb.quantity=2:4"),
        ],
    )
    assert changed.segment("smb").share == 0.40
    assert changed.segment("price_shoppers").share == 0.45
    assert changed.product.unit_cost == 70.0
    assert changed.mode == "mirrored"
    assert changed.segment("smb").quantity == (2.0, 4.0)
    # the original is frozen and unchanged
    assert params.segment("smb").share == 0.45 and params.mode == "shared"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("segments.whales.share=0.1", "segments.whales"),
        ("product.colour=3", "product.colour"),
        ("nonsense=1", "nonsense"),
        ("segments..share=1", "segments..share"),
        ("mode=solo", "mode"),
    ],
)
def test_bad_overrides_are_refused(text: str, field: str) -> None:
    with pytest.raises(ParameterError) as info:
        apply_overrides(load_preset("classroom"), [parse_override(text)])
    assert info.value.field == field


# --- round trip --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PRESETS)
def test_round_trip_through_a_plain_dictionary(name: str) -> None:
    params = load_preset(name)
    data = parameters_to_dict(params)
    assert parameters_from_dict(copy.deepcopy(data)) == params
    # plain data only: tuples became lists, nested dataclasses became dicts
    assert isinstance(data["product"], dict)
    assert isinstance(data["segments"]["smb"]["quantity"], list)
    assert "id" not in data["segments"]["smb"]


def test_round_trip_keeps_overridden_values() -> None:
    params = apply_overrides(load_preset("rush"), [("rounds", 2), ("segments.smb.patience_hours", 3.5)])
    assert parameters_from_dict(parameters_to_dict(params)) == params


# --- every accepted value gives a market that runs -----------------------------------------------------


# upper ends that only make a season slow, not different in kind: capped to keep the test fast
CAPS = {"quantity": 1000.0, "days_per_round": 20.0, "inquiries_per_team_per_day": 50.0}


def _bounds() -> list[tuple[str, object]]:
    """Every numeric parameter (top level, product, service, satisfaction, one segment) at both ends."""
    groups: list[tuple[str, type]] = [
        ("", MarketParameters),
        ("product.", ProductParameters),
        ("service.", ServiceParameters),
        ("satisfaction.", SatisfactionParameters),
        ("segments.smb.", SegmentParameters),
    ]
    cases: list[tuple[str, object]] = []
    for prefix, cls in groups:
        for f in dataclasses.fields(cls):
            if not f.metadata or f.name == "rounds":
                continue
            for end in (f.metadata["low"], f.metadata["high"]):
                value = min(end, CAPS[f.name]) if f.name in CAPS else end
                cases.append((prefix + f.name, [value, value] if f.metadata.get("pair") else value))
    return cases


def test_every_accepted_extreme_value_gives_a_playable_market() -> None:
    """A value the validation accepts must never crash a season (reference bots, two rounds)."""
    base = load_preset("classroom")
    played = 0
    for path, value in _bounds():
        try:
            params = apply_overrides(base, [(path, value)])
        except ParameterError:
            continue  # refused as a whole (e.g. a unit cost above the list price): fine
        comp = Competition(
            params, 1, [TeamSpec("balanced", "balanced"), TeamSpec("lavish", "lavish")], rounds=2
        )
        comp.finish()
        assert comp.finished, path
        played += 1
    assert played > 100
