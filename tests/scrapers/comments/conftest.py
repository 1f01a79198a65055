"""Captured payloads for the comment sources (../shared/fixtures/platforms), and small builders that
turn a captured record into the shape another endpoint of the same platform answers with."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fakes.shared import shared_path


def read_payload(folder: str, name: str) -> bytes:
    return shared_path("fixtures", "platforms", folder, name).read_bytes()


@pytest.fixture
def payload() -> Callable[[str, str], bytes]:
    """payload("wordpress", "frontity_wp-v2-comments-post-60.json"); skips when ../shared is absent."""
    return read_payload


def replay_body(text: str) -> bytes:
    """The response body of the first exchange in a PyGithub replay file (its last line)."""
    exchange = text.split("\n\n", 1)[0].strip().splitlines()
    return exchange[-1].encode()


def canvas_view() -> bytes:
    """A topic's `/view` built from canvasapi's recorded entries: entries 1 and 2 (list_topic_entries)
    with the replies of entry 1 (list_entry_replies) nested under it, as Canvas nests them."""
    data = json.loads(read_payload("canvas", "canvasapi_discussion_topic.json"))
    entries = [dict(e) for e in data["list_topic_entries"]["data"]]
    replies = [dict(r, parent_id=1) for r in data["list_entry_replies"]["data"]]
    entries[0]["replies"] = replies
    entries[0]["created_at"] = "2017-01-30T20:18:20Z"  # post_entry's created_at
    participants = [{"id": 1, "display_name": "John Doe"}, {"id": 2, "display_name": "John Smith"}]
    return json.dumps({"participants": participants, "view": entries}).encode()


def blogger_json_from_export() -> bytes:
    """The comment of pelican's Blogger export in the GData JSON form `alt=json` answers with (field
    names as Blogger's own comment widget reads them: entry.id.$t, published.$t, author[0].name.$t)."""
    return json.dumps(
        {
            "version": "1.0",
            "encoding": "UTF-8",
            "feed": {
                "openSearch$totalResults": {"$t": "1"},
                "entry": [
                    {
                        "id": {
                            "$t": "tag:blogger.com,1999:blog-6303278419262689239.post-5590533389087749201"
                        },
                        "published": {"$t": "2010-11-29T12:35:44.027-08:00"},
                        "content": {
                            "type": "html",
                            "$t": "Mishka, always a pleasure to read your adventures!<br /><br />"
                            "It's a shame you don't get more time for writing.",
                        },
                        "link": [
                            {
                                "rel": "self",
                                "href": "https://www.blogger.com/feeds/6303278419262689239/1858599377741856733"
                                "/comments/default/5590533389087749201",
                            },
                            {
                                "rel": "alternate",
                                "href": "http://youngdoctornotes.blogspot.com/2010/11/the-steel-windpipe.html"
                                "?showComment=1291062944027#c5590533389087749201",
                            },
                        ],
                        "author": [
                            {
                                "name": {"$t": "Thomas Isidore Noël Sankara"},
                                "uri": {"$t": "https://www.blogger.com/profile/0617349827"},
                            }
                        ],
                    }
                ],
            },
        }
    ).encode()


def devto_comments(article: dict[str, Any]) -> bytes:
    """A `/api/comments?a_id=` answer in forem's documented shape (app/views/api/v1/comments:
    type_of, id_code, created_at, body_html, user{name, username, ...}, children), written by the
    captured article's author and a reader."""
    author = article["user"]
    reader = {
        "name": "Ana Rivera",
        "username": "anarivera",
        "twitter_username": None,
        "github_username": None,
    }
    reply = {
        "type_of": "comment",
        "id_code": "1b2c",
        "created_at": "2019-09-04T08:00:00Z",
        "body_html": "<p>Thanks! The retry helper is in the next episode.</p>",
        "user": author,
        "children": [],
    }
    return json.dumps(
        [
            {
                "type_of": "comment",
                "id_code": "1a2b",
                "created_at": "2019-09-03T20:15:00Z",
                "body_html": "<p>Why wrap <code>http.Client</code> instead of taking an interface?</p>",
                "user": reader,
                "children": [reply],
            },
            {"type_of": "comment", "id_code": "1c3d", "created_at": "2019-09-05T10:00:00Z",
             "body_html": "<p>[deleted]</p>", "user": {}, "children": []},
        ]
    ).encode()  # fmt: skip


def giscus_answer() -> bytes:
    """A GraphQL `repository.discussion` answer carrying the comment of octokit's recorded
    discussion_comment webhook (same fields, GraphQL names)."""
    hook = json.loads(
        read_payload("github_comments", "octokit-webhooks_discussion_comment.created.payload.json")
    )
    comment, discussion = hook["comment"], hook["discussion"]
    node = {
        "id": comment["node_id"],
        "databaseId": comment["id"],
        "url": comment["html_url"],
        "bodyText": comment["body"],
        "createdAt": comment["created_at"],
        "isMinimized": False,
        "author": {"login": comment["user"]["login"], "url": comment["user"]["html_url"]},
        "replies": {"pageInfo": {"hasNextPage": False}, "nodes": []},
    }
    return json.dumps(
        {
            "data": {
                "repository": {
                    "discussion": {
                        "number": discussion["number"],
                        "title": discussion["title"],
                        "url": discussion["html_url"],
                        "comments": {"pageInfo": {"hasNextPage": False}, "nodes": [node]},
                    }
                }
            }
        }
    ).encode()


@pytest.fixture
def build() -> Any:
    """The builders above, for test modules (conftest is not importable by name)."""

    class Builders:
        replay = staticmethod(replay_body)
        canvas_view = staticmethod(canvas_view)
        blogger_json = staticmethod(blogger_json_from_export)
        devto_comments = staticmethod(devto_comments)
        giscus = staticmethod(giscus_answer)

    return Builders
