"""Peer review over HTTP: members rate teammates at the end; the instructor reads every rating.

See server/live/peer_review.py for the rules. A member's ratings are theirs and the instructor's
only: no other member, judge or board ever sees them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import Field

from server.api.answers import documented
from server.api.answers.judging import PeerReviews
from server.api.answers.team import MyPeerReview
from server.api.bodies import StrictBody
from server.api.deps import instructor, member, runtime
from server.api.http.keyed_paths import PEER_REVIEW
from server.input.peer_review_sizes import COMMENT_MAX, MAX_RATINGS, RATING_MAX, RATING_MIN
from server.input.text_rules import refuse_unstorable
from server.live.peer_review import (
    check_open,
    check_ratings,
    instructor_view,
    review_rows,
    teammates,
)
from server.live.refusals import owner_write
from server.live.runtime import Runtime
from server.security.auth import Identity
from server.wall_clock import wall_now

router = APIRouter(tags=["peer review"])


class RatingIn(StrictBody):
    member_id: int = Field(description="a teammate's id, as GET /api/v1/team/peer-review lists it")
    rating: int = Field(
        ge=RATING_MIN,
        le=RATING_MAX,
        description="the teammate's contribution: 1 (little) to 5 (a great deal)",
    )
    comment: str = Field("", max_length=COMMENT_MAX, description="optional, for the instructor only")


class PeerReviewIn(StrictBody):
    ratings: list[RatingIn] = Field(
        max_length=MAX_RATINGS, description="one per teammate; replaces what you sent before"
    )


def _mine(rt: Runtime, who: Identity) -> dict[str, Any]:
    competition_id = who.competition_id or 0
    live = rt.get(competition_id)
    mates = teammates(rt.store.competition_members(competition_id), who.team_id or 0, who.member_id or 0)
    given = {
        r.reviewee_id: r for r in rt.store.peer_reviews(competition_id) if r.reviewer_id == who.member_id
    }
    return {
        "open": live.state == "finished",
        "state": live.state,
        "teammates": [
            {
                "member_id": m.id,
                "name": m.name,
                "role": m.role,
                "rating": given[m.id].rating if m.id in given else None,
                "comment": given[m.id].comment if m.id in given else "",
            }
            for m in mates
        ],
    }


@router.get(PEER_REVIEW, responses=documented(MyPeerReview))
def my_peer_review(rt: Runtime = Depends(runtime), who: Identity = Depends(member)) -> dict[str, Any]:
    """Your teammates and the ratings you gave them; ``open`` once the competition has finished."""
    return _mine(rt, who)


@router.put(PEER_REVIEW, responses=documented(MyPeerReview))
def rate_teammates(
    body: PeerReviewIn, rt: Runtime = Depends(runtime), who: Identity = Depends(member)
) -> dict[str, Any]:
    """Rate your teammates' contribution (1–5, an optional comment); sending again replaces them.

    Refused (409) before the competition has finished, and (422) for anyone who is not a current
    teammate or is rated twice; a refused review changes nothing."""
    competition_id = who.competition_id or 0
    live = rt.get(competition_id)
    check_open(live.state)
    refuse_unstorable(body.model_dump(), "body")
    entries = [(r.member_id, r.rating, r.comment.strip()) for r in body.ratings]
    check_ratings(
        teammates(rt.store.competition_members(competition_id), who.team_id or 0, who.member_id or 0), entries
    )
    now = wall_now()
    rows = review_rows(competition_id, who.member_id or 0, entries, now)
    with owner_write(live.writer) as epoch:
        rt.store.save_peer_reviews(competition_id, who.member_id or 0, rows, epoch)
    return _mine(rt, who)


@router.get("/api/v1/competitions/{competition_id}/peer-reviews", responses=documented(PeerReviews))
def peer_reviews(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    """Every member's ratings received from teammates (mean, count, each with who gave it and the
    comment) and how many they gave. The instructor's only."""
    live = rt.get(competition_id)
    roster = rt.store.competition_members(competition_id)
    return instructor_view(live.state, roster, rt.store.peer_reviews(competition_id))
