"""Property-based fuzzing: comment parsers fail on hostile answers only with CommentSourceError."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapers.comments import (
    CommentSourceError,
    anchor_of,
    blogger,
    canvas,
    devto,
    github,
    html,
    medium,
    plan,
    points_at,
    wordpress,
)
from scrapers.comments.model import Comment

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PARSERS = [
    wordpress.parse_comments,
    blogger.parse_comments,
    devto.parse_comments,
    github.parse_issue_comments,
    lambda body, url: github.parse_discussion(body, "t"),
    lambda body, url: canvas.parse_view(body, url, "1"),
    medium.parse_response_json,
    medium.parse_feed_items,
    html.parse_page,
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["id", "comments", "user", "author", "children", "view", "replies", "feed", "entry", "$t",
             "data", "repository", "discussion", "nodes", "payload", "value", "content", "date_gmt", "items"]
        ),
        inner,
        max_size=5,
    ),
    max_leaves=20,
)  # fmt: skip
bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.lists(
        st.sampled_from(["<li class='comment' id='comment-1'>", "<cite>", "</li>", "<time datetime='x'>",
                         "<section id='comments'>", "<p>", "text", "<feed>", "<entry>", "<rss>", "\x00"]),
        max_size=40,
    ).map(lambda parts: "".join(parts).encode()),
)  # fmt: skip


@FUZZ
@given(bodies, st.integers(min_value=0, max_value=len(PARSERS) - 1))
def test_parsers_fail_cleanly(body: bytes, which: int) -> None:
    with contextlib.suppress(CommentSourceError):
        listing = PARSERS[which](body, "https://blog.example/2024/post/")
        assert all(isinstance(c, Comment) for c in listing.comments)


@FUZZ
@given(
    st.text(max_size=120), st.sampled_from(["web", "wordpress", "blogger", "devto", "canvas", "github_pages"])
)
def test_plans_and_links_never_raise(link: str, platform: str) -> None:
    plan(link, platform, b"<html><body><p>x</p></body></html>", "html")
    anchor_of(link)
    points_at(link, Comment("web", "c1", url="https://blog.example/p#comment-1", anchors=("comment-1",)))
