"""Rules versions: every competition records the rules it is played and scored by.

A parameter table without ``rules`` was written before versions were recorded: it is version 1,
and an archive of such a competition still imports and replays to its own digest (v1 formulas
kept); so do version-2, -3 and -4 ones (their formulas and market rules kept). Presets are
version 5; a version-4 ``realistic`` archive still scores profit per round, as it was played. A
version this server does not know is refused with a message that names it; the version cannot
change while a competition runs.
"""

from __future__ import annotations

import dataclasses
import io

import pytest

from market.errors import ParameterError
from market.events import event_to_json
from market.parameters import parameters_from_dict, parameters_to_dict
from market.presets import load_preset, preset_names
from scoring import score_events
from server.persistence.archive.contents import Archive, ArchiveError, write_archive
from server.persistence.archive.reader import read_archive
from simulator.competition import Competition, TeamSpec
from simulator.instructor import ChangeParameters
from simulator.season import scoring_config
from tests.server.archive_samples import command_records, sample_parts


def archive_of(competition: Competition, parameters: dict[str, object]) -> bytes:
    """The sample archive's members and rubric around ``competition``'s logs and ``parameters``."""
    parts = sample_parts()
    manifest = {
        **parts.manifest,
        "t_sim": competition.now,
        "digest": competition.digest(),
        "events": len(competition.log),
        "commands": len(competition.commands),
    }
    commands = command_records(competition)
    archive = dataclasses.replace(
        parts,
        manifest=manifest,
        parameters=parameters,
        commands=commands,
        events=[event_to_json(e) for e in competition.log],
    )
    assert isinstance(archive, Archive)
    return write_archive(archive)


def played(rules: int, preset: str = "classroom", hours: float = 45.0) -> Competition:
    params = dataclasses.replace(load_preset(preset), rules=rules)
    teams = [TeamSpec("T01", "balanced"), TeamSpec("T02", "eager"), TeamSpec("T03", "lax")]
    competition = Competition(params, 7, teams, rounds=2)
    competition.advance_to(hours)
    return competition


def test_every_preset_is_the_latest_version_and_an_unversioned_table_is_version_1() -> None:
    for name in preset_names():
        assert load_preset(name).rules == 5, name
    data = parameters_to_dict(load_preset("classroom"))
    assert data["rules"] == 5
    del data["rules"]
    assert parameters_from_dict(data).rules == 1
    assert scoring_config(parameters_from_dict(data)).rules == 1
    assert scoring_config(load_preset("classroom")).rules == 5
    assert scoring_config(dataclasses.replace(load_preset("classroom"), rules=2)).rules == 2


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (6, "rules version 6 is newer than this server, which plays versions 1, 2, 3, 4, 5"),
        (0, "must be a rules version"),
        ("2", "must be a rules version"),
        (True, "must be a rules version"),
    ],
)
def test_an_unknown_version_is_refused_naming_it(value: object, said: str) -> None:
    data = {**parameters_to_dict(load_preset("classroom")), "rules": value}
    with pytest.raises(ParameterError, match=said):
        parameters_from_dict(data)


def test_an_archive_written_before_versions_imports_as_version_1_and_replays_to_its_digest() -> None:
    competition = played(1)
    parameters = parameters_to_dict(competition.params)
    del parameters["rules"]  # as the first release wrote it
    replayed = read_archive(io.BytesIO(archive_of(competition, parameters)))
    assert replayed.competition.params.rules == 1
    assert replayed.competition.digest() == competition.digest()
    assert scoring_config(replayed.competition.params).rules == 1


@pytest.mark.parametrize("rules", [2, 3, 4, 5])
def test_a_versioned_archive_replays_to_its_digest_under_its_own_rules(rules: int) -> None:
    competition = played(rules)
    replayed = read_archive(io.BytesIO(archive_of(competition, parameters_to_dict(competition.params))))
    assert replayed.competition.params.rules == rules
    assert replayed.competition.digest() == competition.digest()
    assert scoring_config(replayed.competition.params).rules == rules


def test_an_archive_of_a_newer_version_is_refused_with_its_version() -> None:
    competition = played(5)
    parameters = {**parameters_to_dict(competition.params), "rules": 6}
    with pytest.raises(ArchiveError, match="rules version 6 is newer than this server"):
        read_archive(io.BytesIO(archive_of(competition, parameters)))


def test_the_rules_cannot_change_while_a_competition_runs() -> None:
    competition = played(5)
    outcome = competition.submit(ChangeParameters(changes=(("rules", 4),)), competition.now, "instructor")
    assert not outcome.accepted
    assert "rules" in outcome.reason and "cannot change once it runs" in outcome.reason
    assert competition.params.rules == 5


def test_a_rules_4_realistic_archive_still_scores_profit_per_round() -> None:
    """The preset rules 5 scores differently (profit per business week): its v4 archives keep v4's."""
    now = 1.5 * load_preset("realistic").calendar.round_hours
    competition = played(4, "realistic", now)
    replayed = read_archive(io.BytesIO(archive_of(competition, parameters_to_dict(competition.params))))
    assert replayed.competition.digest() == competition.digest()
    config = scoring_config(replayed.competition.params)
    assert config.rules == 4
    board = score_events(replayed.competition.log, config, now=now)
    played_by = score_events(competition.log, scoring_config(competition.params), now=now)
    assert board.standings() == played_by.standings()
    profit = board.explain("T01", "profit")
    assert "% per round" in profit.formula and "business week" not in profit.formula
    weekly = score_events(competition.log, dataclasses.replace(config, rules=5), now=now)
    assert "% per business week" in weekly.explain("T01", "profit").formula
    assert weekly.standings() != board.standings()  # the same log, scored per week, differs
