"""Which comment counts for which assigned review (bot/review_match.py), one rule for every caller."""

from __future__ import annotations

from typing import Any

import pytest

from bot.review_match import match_comments, post_key_of

POST = "https://blog.example.com/ana/feast"
ASSIGNMENTS = [
    {"id": 1, "reviewer_key": "ben", "author_key": "ana", "post_key": "blog.example.com/ana/feast"},
    {"id": 2, "reviewer_key": "ben", "author_key": "cy", "post_key": "blog.example.com/cy/mlflow"},
    {"id": 3, "reviewer_key": "dee", "author_key": "ana", "post_key": "blog.example.com/ana/feast"},
]


def comment(cid: str, reviewer: str = "ben", **fields: Any) -> dict[str, Any]:
    return {"id": cid, "reviewer_key": reviewer, "status": "found", "substantive": 1, **fields}


def counted(*comments: dict[str, Any], current: dict[str, str] | None = None) -> dict[int, str]:
    match = match_comments(ASSIGNMENTS, comments, current)
    return {aid: c["id"] for aid, c in sorted(match.counted.items())}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"assignment_id": 2, "url": POST + "#c1"}, {2: "x"}),  # the named assignment wins over the link
        ({"post_key": "blog.example.com/cy/mlflow"}, {2: "x"}),
        ({"url": POST + "#comment-9"}, {1: "x"}),
        ({"url": POST + "/comment-page-2/#comment-9"}, {1: "x"}),
        ({"url": POST + "?replytocom=4#respond"}, {1: "x"}),
        ({"url": "http://www.blog.example.com/ana/feast/"}, {1: "x"}),
        ({"url": POST + "/another-page#c1"}, {}),  # a page below the post is another page
        ({"url": "https://elsewhere.dev/ana/feast#c1"}, {}),
        ({"url": "javascript:alert(1)"}, {}),
        ({"assignment_id": 99, "url": POST + "#c1"}, {1: "x"}),  # no longer active: the post decides
        ({"assignment_id": 3, "url": POST + "#c1"}, {1: "x"}),  # another reviewer's assignment
    ],
)
def test_a_comment_counts_for_the_assignment_it_names_or_is_on(fields: dict, expected: dict) -> None:
    """By assignment id, by stored post key, or by a link into the post (comment anchors ignored)."""
    assert counted(comment("x", **fields)) == expected


def test_someone_elses_comment_never_counts() -> None:
    assert counted(comment("x", reviewer="cy", url=POST + "#c1")) == {}


def test_reviews_follow_the_author_to_a_new_post() -> None:
    moved = comment("x", url="https://blog.example.com/ana/feast-v2#c1")
    assert counted(moved) == {}
    assert counted(moved, current={"ana": "blog.example.com/ana/feast-v2"}) == {1: "x"}


@pytest.mark.parametrize(
    ("first", "second", "wins"),
    [
        ({"status": "found", "substantive": 0}, {"status": "reported", "substantive": None}, "b"),
        ({"status": "missing", "substantive": None}, {"status": "unverified", "substantive": None}, "b"),
        ({"status": "found", "substantive": 1}, {"status": "reported", "substantive": None}, "a"),
        ({"status": "found", "substantive": None}, {"status": "reported", "substantive": None}, "a"),
        ({"status": "reported", "substantive": None}, {"status": "unverified", "substantive": None}, "a"),
    ],
)
def test_the_best_comment_counts(first: dict, second: dict, wins: str) -> None:
    """Substantive, not judged yet, then reported, unverified, too thin (the newer first), missing."""
    a = comment("a", assignment_id=1, updated_at="2026-11-22", **first)
    b = comment("b", url=POST + "#c2", updated_at="2026-11-22", **second)
    assert counted(a, b) == counted(b, a) == {1: wins}


@pytest.mark.parametrize(
    ("thin_at", "other", "other_at", "wins"),
    [
        ("2026-11-25", "reported", "2026-11-01", "thin"),  # an old uncheckable link hides no thin comment
        ("2026-11-25", "unverified", "2026-11-20", "thin"),
        ("2026-11-20", "reported", "2026-11-25", "other"),  # a newer report is the student's latest word
        ("2026-11-20", "unverified", "2026-11-25", "other"),
    ],
)
def test_a_thin_comment_and_an_unchecked_link_the_newer_counts(
    thin_at: str, other: str, other_at: str, wins: str
) -> None:
    thin = comment("thin", assignment_id=1, substantive=0, updated_at=thin_at)
    unchecked = comment("other", url=POST + "#c2", status=other, substantive=None, updated_at=other_at)
    assert counted(thin, unchecked) == counted(unchecked, thin) == {1: wins}


def test_among_equals_the_newer_then_the_later_row_counts() -> None:
    old = comment("old", assignment_id=1, updated_at="2026-11-21")
    new = comment("new", assignment_id=1, updated_at="2026-11-22")
    assert counted(new, old) == counted(old, new) == {1: "new"}
    same = comment("same", assignment_id=1, updated_at="2026-11-22")
    assert counted(new, same) == {1: "same"} and counted(same, new) == {1: "new"}


def test_a_comment_counts_once_and_the_rest_are_kept_with_their_post() -> None:
    same_post = {**ASSIGNMENTS[0], "id": 4, "author_key": "eve"}  # two authors claimed one post
    match = match_comments(
        [*ASSIGNMENTS, same_post],
        [
            comment("x", url=POST + "#c1"),
            comment("thin", assignment_id=1, substantive=0),
            comment("away", url="https://blog.example.com/gus/dvc#c3"),
        ],
    )
    assert {aid: c["id"] for aid, c in match.counted.items()} == {4: "x", 1: "thin"}
    assert [(c["id"], target) for c, target in match.others] == [("away", "blog.example.com/gus/dvc")]


def test_post_key_of_a_link() -> None:
    assert post_key_of(POST + "/comment-page-1/#comment-5") == "blog.example.com/ana/feast"
    assert post_key_of("") == "" and post_key_of("mailto:ana@x.edu") == ""
