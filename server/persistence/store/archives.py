"""Importing an archive: a whole competition written in one transaction."""

from __future__ import annotations

from collections.abc import Sequence

from market.events import Event
from server.persistence.db.tables import (
    CommandRow,
    CompetitionRow,
    MemberRow,
    PeerReviewRow,
    RubricCriterionRow,
    RubricEntryRow,
    TeamRow,
)
from server.persistence.store.base import StoreBase
from server.persistence.store.logs import event_rows


class ArchiveStore(StoreBase):
    """Whole competitions written at once."""

    def import_competition(
        self,
        competition: CompetitionRow,
        teams: Sequence[TeamRow],
        members: Sequence[tuple[str, MemberRow]],
        commands: Sequence[tuple[CommandRow, int | None]],
        events: Sequence[Event],
        criteria: Sequence[RubricCriterionRow],
        entries: Sequence[tuple[RubricEntryRow, int]],
        peer_reviews: Sequence[tuple[PeerReviewRow, int, int]] = (),
    ) -> CompetitionRow:
        """Write a whole competition in one transaction: all of it or, on any error, nothing.

        Members come with their team's name, commands with the index of their member, rubric
        entries with the index of their criterion, peer reviews with the indexes of their
        reviewer and reviewee; the new ids are filled in here.
        """
        with self.session() as s:
            s.add(competition)
            s.flush()
            cid = competition.id
            assert cid is not None
            team_ids: dict[str, int] = {}
            for team in teams:
                team.competition_id = cid
                s.add(team)
                s.flush()
                assert team.id is not None
                team_ids[team.name] = team.id
            member_ids: list[int | None] = []
            for team_name, member in members:
                member.team_id = team_ids[team_name]
                s.add(member)
                s.flush()
                member_ids.append(member.id)
            for command, member_index in commands:
                command.competition_id = cid
                command.member_id = None if member_index is None else member_ids[member_index]
                s.add(command)
            s.add_all(event_rows(cid, events))
            criterion_ids: list[int | None] = []
            for criterion in criteria:
                criterion.competition_id = cid
                s.add(criterion)
                s.flush()
                criterion_ids.append(criterion.id)
            for entry, criterion_index in entries:
                entry.competition_id = cid
                criterion_id = criterion_ids[criterion_index]
                assert criterion_id is not None
                entry.criterion_id = criterion_id
                s.add(entry)
            for review, reviewer_index, reviewee_index in peer_reviews:
                reviewer_id, reviewee_id = member_ids[reviewer_index], member_ids[reviewee_index]
                assert reviewer_id is not None and reviewee_id is not None
                review.competition_id, review.reviewer_id, review.reviewee_id = cid, reviewer_id, reviewee_id
                s.add(review)
            s.commit()
            s.refresh(competition)
            return competition
