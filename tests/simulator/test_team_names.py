"""Team names: letters of any script (with the combining marks many scripts need), digits,
spaces, _ or -, 1–40 characters, starting with a letter or digit."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.competition import Competition, TeamSpec, is_team_name
from simulator.errors import SimulatorError

GOOD = ["Red", "红队", "Équipe 7", "टीम", "नमस्ते", "팀-1", "команда_2", "فريق", "チーム", "x" * 40, "9 lives"]
BAD = ["", "_hidden", "-x", " lead", "x" * 41, "Red!", "a\u202eb", "a\tb", "🚀 team", "a.b", "\u0301a"]


@pytest.mark.parametrize("name", GOOD)
def test_letters_of_any_script_are_team_names(name: str) -> None:
    assert is_team_name(name)


@pytest.mark.parametrize("name", BAD)
def test_what_is_not_a_team_name(name: str) -> None:
    assert not is_team_name(name)


@given(st.text(max_size=45))
def test_the_rule_is_what_the_docstring_says(name: str) -> None:
    def kind(ch: str) -> str:
        return unicodedata.category(ch)[0]

    expected = (
        1 <= len(name) <= 40
        and kind(name[0]) in "LN"
        and all(kind(ch) in "LNM" or ch in " _-" for ch in name[1:])
    )
    assert is_team_name(name) == expected


def test_a_competition_refuses_a_bad_name_and_takes_a_chinese_one() -> None:
    from market.presets import load_preset

    params = load_preset("classroom")
    assert [t.name for t in Competition(params, 1, [TeamSpec("红队"), TeamSpec("Blue")]).teams] == [
        "Blue",
        "红队",
    ]
    with pytest.raises(SimulatorError, match="any language"):
        Competition(params, 1, [TeamSpec("_x")])
