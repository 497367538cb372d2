"""The peer reviews in an archive: ``peer_reviews.jsonl``, one rating of a teammate a line.

A line names its reviewer and reviewee as the command log names members, by their index in
members.json (database ids change on import), with the rating, the comment and when it was
given (seconds since 1970)::

    {"reviewer": 0, "reviewee": 2, "rating": 4, "comment": "kept the inbox clear", "at": 1765000000.0}

An import reads it line by line like the command log (``BoundedZip.lines`` and
``server/input/json_input.py``: bounded lines, nesting, finite numbers, storable text) and holds
it to the live API's rules (``server/api/peer_review.py``): ratings are integers from 1 to 5, a
comment is at most 500 characters with surrounding spaces dropped, reviewer and reviewee are
two members of one team, each pair once, at most 50 ratings from one member, and only in a
competition that has finished (ratings open at the end); at most ``MAX_PEER_REVIEWS`` in all.
A removed member keeps the ratings given and received before the removal, as on the server
that exported them. An archive written before peer reviews were archived has no such member
and imports with none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, Field, TypeAdapter

from server.input.peer_review_sizes import COMMENT_MAX, MAX_RATINGS, RATING_MAX, RATING_MIN
from server.input.text_rules import unstorable
from server.persistence.archive.contents import ArchiveError
from server.persistence.archive.schema import Member, Record, Time, validated
from server.persistence.db.tables import PeerReviewRow

PEER_REVIEWS = "peer_reviews.jsonl"
MAX_PEER_REVIEWS = 50_000
"""The most reviews an archive holds (they are held until written): a 200-team class of six
gives 6,000; like the rubric's entries, many times a large class."""


def _storable(text: str) -> str:
    """As the API keeps a comment: storable text, without its surrounding spaces."""
    problem = unstorable(text)
    if problem is not None:
        raise ValueError(problem)
    return text.strip()


class PeerReview(Record):
    """One line of peer_reviews.jsonl: a member's rating of a teammate."""

    reviewer: int = Field(ge=0)
    reviewee: int = Field(ge=0)
    rating: int = Field(ge=RATING_MIN, le=RATING_MAX)
    comment: Annotated[str, Field(max_length=COMMENT_MAX), AfterValidator(_storable)] = ""
    at: Time


PEER_REVIEW = TypeAdapter(PeerReview)


@dataclass(frozen=True, slots=True)
class ArchivedReview:
    """A checked review as the import holds it until it is written (a fifth of a model's memory)."""

    reviewer: int
    reviewee: int
    rating: int
    comment: str
    at: float


def peer_review_entries(
    reviews: Sequence[PeerReviewRow], member_index: dict[int, int]
) -> list[dict[str, Any]]:
    """The competition's peer reviews for an archive, oldest first, members by index in members.json."""
    return [
        {
            "reviewer": member_index[r.reviewer_id],
            "reviewee": member_index[r.reviewee_id],
            "rating": r.rating,
            "comment": r.comment,
            "at": r.at,
        }
        for r in reviews
    ]


def check_peer_reviews(
    lines: Iterator[tuple[int, Any]], members: Sequence[Member], finished: bool
) -> list[ArchivedReview]:
    """Every review of ``lines`` (number, parsed JSON), checked against members.json and each other."""
    reviews: list[ArchivedReview] = []
    pairs: set[tuple[int, int]] = set()
    given: Counter[int] = Counter()
    for number, document in lines:
        where = f"{PEER_REVIEWS} line {number}"
        if len(reviews) >= MAX_PEER_REVIEWS:
            raise ArchiveError(f"{where}: an archive holds at most {MAX_PEER_REVIEWS:,} peer reviews")
        if not finished:
            raise ArchiveError(
                f"{where}: peer review opens when the competition has finished;"
                " manifest.json says it has not, so it can have no ratings"
            )
        review = validated(PEER_REVIEW, document, where)
        for field, index in (("reviewer", review.reviewer), ("reviewee", review.reviewee)):
            if index >= len(members):
                raise ArchiveError(
                    f"{where}: {field}: there is no member {index} in members.json (it lists {len(members)})"
                )
        reviewer, reviewee = members[review.reviewer], members[review.reviewee]
        if review.reviewer == review.reviewee:
            raise ArchiveError(
                f"{where}: reviewee: member {review.reviewee} rates themself; members rate teammates"
            )
        if reviewer.team != reviewee.team:
            raise ArchiveError(
                f"{where}: reviewee: member {review.reviewee} ({reviewee.name}, team {reviewee.team}) is not"
                f" a teammate of member {review.reviewer} ({reviewer.name}, team {reviewer.team})"
            )
        pair = (review.reviewer, review.reviewee)
        if pair in pairs:
            raise ArchiveError(
                f"{where}: member {review.reviewer} rates member {review.reviewee} a second time;"
                " each teammate is rated once"
            )
        pairs.add(pair)
        given[review.reviewer] += 1
        if given[review.reviewer] > MAX_RATINGS:
            raise ArchiveError(
                f"{where}: reviewer: member {review.reviewer} gives more than {MAX_RATINGS} ratings,"
                f" the most one member may give"
            )
        reviews.append(ArchivedReview(pair[0], pair[1], review.rating, review.comment, review.at))
    return reviews


def read_peer_reviews(
    lines: Iterator[tuple[int, bytes]] | None,
    parse: Callable[[bytes, str], Any],
    members: Sequence[Member],
    finished: bool,
) -> list[ArchivedReview]:
    """The archive's peer reviews (``lines`` of peer_reviews.jsonl, None if it has none), checked."""
    if lines is None:
        return []
    parsed = ((number, parse(raw, f"{PEER_REVIEWS} line {number}")) for number, raw in lines)
    return check_peer_reviews(parsed, members, finished)


def peer_review_rows(reviews: Sequence[ArchivedReview]) -> list[tuple[PeerReviewRow, int, int]]:
    """The rows an import writes, each with its reviewer's and reviewee's index in members.json."""
    return [
        (
            PeerReviewRow(
                competition_id=0, reviewer_id=0, reviewee_id=0, rating=r.rating, comment=r.comment, at=r.at
            ),
            r.reviewer,
            r.reviewee,
        )
        for r in reviews
    ]
