"""Comment parsers on captured payloads (expectations written by reading them), and URL builders."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from scrapers.comments import (
    CommentSourceError,
    anchor_of,
    blogger,
    canvas,
    combine,
    devto,
    discussion_plan,
    github,
    html,
    link_plan,
    medium,
    plan,
    points_at,
    wordpress,
)
from scrapers.comments._util import page_url
from scrapers.comments.model import Comment, Listing

FRONTITY_POST = "https://test.frontity.org/2016/the-beauties-of-gullfoss/"
LEMIRE = "https://lemire.me/blog/2019/08/02/json-parsing-simdjson-vs-json-for-modern-c/"
WPCOM = "https://en.blog.wordpress.com/2019/06/19/want-to-see-a-more-diverse-wordpress-contributor-community-so-do-we/"
PLENTY = "https://plentylife.blogspot.com/2017/05/strong-beautiful-pamela-reif-rezension.html"


def brief(comments: list[Comment]) -> list[tuple[str, str, str, str]]:
    return [(c.id, c.author or c.handle, c.posted_at, c.parent) for c in comments]


# --- WordPress ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "frontity_wp-v2-comments-post-60.json",
            [
                ("129", "David Arenas", "2019-02-08T15:28:33+00:00", "124"),  # date_gmt, not local date
                ("124", "Mario", "2019-02-06T15:35:39+00:00", ""),
                ("5", "Reyes Martinez", "2017-01-13T16:10:43+00:00", ""),
            ],
        ),
        ("frontity_wp-v2-comment-5.json", [("5", "Reyes Martinez", "2017-01-13T16:10:43+00:00", "")]),
        (
            "wordpresskit_comments-v2-view-context.json",
            [
                ("2", "John Doe", "2021-07-01T10:50:11+00:00", "1"),
                ("3", "Mary Sue", "2021-07-01T10:50:20+00:00", "1"),
            ],
        ),
        (
            "wordpresskit_site-comments-success_v1.1.json",
            [("1", "Comment Author", "2021-08-04T07:58:49+00:00", "")],
        ),
    ],
)
def test_wordpress_rest_answers(payload, name: str, expected: list[tuple[str, str, str, str]]) -> None:
    listing = wordpress.parse_comments(payload("wordpress", name), "https://x/wp-json/wp/v2/comments?post=60")
    assert brief(listing.comments) == expected
    assert listing.complete and listing.ok


def test_wordpress_comment_fields(payload) -> None:
    listing = wordpress.parse_comments(payload("wordpress", "frontity_wp-v2-comments-post-60.json"), "x")
    reyes = listing.comments[2]
    assert reyes.text == "Nice post, Alan! Iceland must be amazing. Thanks for sharing 🙂"
    assert reyes.url == "https://test.frontity.org/2016/the-beauties-of-gullfoss/comment-page-1/#comment-5"
    assert reyes.author_url == "http://www.worona.org" and "comment-5" in reyes.anchors
    assert points_at("https://test.frontity.org/2016/the-beauties-of-gullfoss/#comment-5", reyes)
    assert not points_at("https://test.frontity.org/2016/another-post/#comment-5", reyes)
    assert not points_at("https://test.frontity.org/2016/the-beauties-of-gullfoss/#comment-124", reyes)


def test_wordpress_error_answer() -> None:
    body = (
        b'{"code":"rest_disabled","message":"The REST API is disabled on this site.","data":{"status":401}}'
    )
    with pytest.raises(CommentSourceError, match="REST API is disabled"):
        wordpress.parse_comments(body, "x")


@pytest.mark.parametrize(
    ("folder", "name", "kind", "url", "post_id"),
    [
        (
            "wordpress",
            "frontity_wp-v2-post-60.json",
            "wordpress_api",
            "https://demo.worona.org/gullfoss/",
            "60",
        ),
        ("personal", "trafilatura_lemire.me_with-comments.html", "html", LEMIRE, "17725"),
        ("wordpress", "trafilatura_en.blog.wordpress.com_with-comments.html", "html", WPCOM, "41513"),
    ],
)
def test_wordpress_post_id(payload, folder: str, name: str, kind: str, url: str, post_id: str) -> None:
    assert wordpress.post_id(payload(folder, name), kind, url) == post_id


@pytest.mark.parametrize(
    ("url", "root", "expected"),
    [
        (
            LEMIRE,
            "https://lemire.me/blog/wp-json",
            "https://lemire.me/blog/wp-json/wp/v2/comments?post=17725&per_page=100&orderby=date_gmt&order=asc",
        ),
        (
            WPCOM,
            "",
            "https://public-api.wordpress.com/wp/v2/sites/en.blog.wordpress.com/comments?post=17725&per_page=100"
            "&orderby=date_gmt&order=asc",
        ),
        (
            "http://127.0.0.1:8080/2024/03/05/feast/",
            "",
            "http://127.0.0.1:8080/wp-json/wp/v2/comments?post=17725&per_page=100&orderby=date_gmt&order=asc",
        ),
    ],
)
def test_wordpress_comments_url(url: str, root: str, expected: str) -> None:
    assert wordpress.comments_url(url, "17725", root) == expected
    assert wordpress.comments_url(url, "") is None


def test_wordpress_plan_reads_the_page(payload) -> None:
    page = payload("personal", "trafilatura_lemire.me_with-comments.html")
    assert wordpress.api_root(page, LEMIRE) == "https://lemire.me/blog/wp-json"
    steps = plan(LEMIRE, "web", page, "html")
    assert [s.kind for s in steps] == ["wordpress_api", "html"]
    assert steps[0].url.startswith("https://lemire.me/blog/wp-json/wp/v2/comments?post=17725")
    assert steps[1].data is page  # the kept page: nothing to fetch


# --- comments printed in the page -----------------------------------------------------------------


def test_page_comments_wordpress_theme(payload) -> None:
    listing = html.parse_page(payload("personal", "trafilatura_lemire.me_with-comments.html"), LEMIRE)
    assert listing.complete
    assert brief(listing.comments) == [
        ("comment-421882", "degski", "2019-08-03T04:11:57+00:00", ""),
        ("comment-422154", "degski", "2019-08-05T02:51:17+00:00", ""),
        ("comment-422230", "Daniel Lemire", "2019-08-05T13:46:09+00:00", "comment-422154"),
        ("comment-422240", "wmu", "2019-08-05T16:43:48+00:00", ""),
        ("comment-422257", "Daniel Lemire", "2019-08-05T20:28:59+00:00", "comment-422240"),
    ]
    first = listing.comments[0]
    assert first.text.startswith("Thanks, for posting this.\n\nThat is well a mega difference")
    assert "says" not in first.author and first.url == LEMIRE + "#comment-421882"


def test_page_comments_wordpress_com(payload) -> None:
    page = payload("wordpress", "trafilatura_en.blog.wordpress.com_with-comments.html")
    listing = html.parse_page(page, WPCOM)
    assert len(listing.comments) == 13
    first = listing.comments[0]
    assert (first.id, first.author, first.author_url) == (
        "comment-411811",
        "JanBeek",
        "http://janbeek.wordpress.com",
    )
    assert first.posted_at == ""  # the theme prints "Jun 20th at 2:41 am": no year, no date
    assert first.text.startswith("Are there workshops available for an 80 year-old")
    assert "Liked by" not in first.text


def test_page_comments_blogger(payload) -> None:
    page = payload("blogger", "trafilatura_plentylife.blogspot_with-comments.html")
    listing = html.parse_page(page, PLENTY)
    [comment] = listing.comments
    assert (comment.id, comment.author) == ("c5689936624652663696", "Andjela Gligorijevic")
    assert comment.posted_at == "2017-05-10T14:14:09+00:00"  # from the permalink's showComment=1494425649856
    assert comment.text.startswith("Great post, I like your blog")
    assert comment.parent == ""
    assert points_at(PLENTY + "?showComment=1494425649856#c5689936624652663696", comment)


def test_page_comments_sample_course() -> None:
    page = resources.files("bot").joinpath(
        "demo", "course", "posts", "ana.rivera__feast-for-movie-features-3f9a1c2b7d4e.html"
    )
    url = "http://127.0.0.1:8765/@ana.rivera/feast-for-movie-features-3f9a1c2b7d4e"
    listing = html.parse_page(page.read_bytes(), url)
    assert brief(listing.comments) == [
        ("comment-1", "Tomasz Kowalczyk", "2026-11-22T08:41:00+00:00", ""),
        ("comment-2", "Daniel Okafor", "2026-11-22T17:05:00+00:00", ""),
        ("comment-3", "Fatima Al-Sayed", "2026-11-23T10:12:00+00:00", ""),
        ("comment-4", "Ana Rivera", "2026-11-23T19:48:00+00:00", ""),
    ]
    assert listing.comments[0].text.startswith("Why ttl=2 days?")
    assert points_at(url + "?source=friends_link#comment-2", listing.comments[1])
    assert not points_at(url + "#comment-2", listing.comments[0])


@pytest.mark.parametrize(
    ("page", "complete", "note"),
    [
        (b"<html><body><article><p>Post only.</p></article></body></html>", False, "no comment section"),
        (
            b"<html><body><article><p>Post.</p></article><div id='disqus_thread'></div></body></html>",
            False,
            "Disqus",
        ),
        (
            b"<html><body><p>Post.</p><section id='comments'><h2>0 comments</h2></section></body></html>",
            True,
            "",
        ),
    ],
)
def test_page_without_comments_says_whether_it_looked(page: bytes, complete: bool, note: str) -> None:
    listing = html.parse_page(page, "https://blog.example/post")
    assert listing.comments == [] and listing.complete is complete
    assert (note in " ".join(listing.notes)) if note else listing.notes == []


# --- Blogger --------------------------------------------------------------------------------------


def test_blogger_export_comment(payload) -> None:
    listing = blogger.parse_comments(payload("blogger", "pelican_bloggerexport.xml"), "x")
    [comment] = listing.comments  # posts, pages and settings of the export are left out
    assert comment.id == "5590533389087749201" and comment.author == "Thomas Isidore Noël Sankara"
    assert comment.posted_at == "2010-11-29T20:35:44+00:00"
    assert (
        comment.text == "Mishka, always a pleasure to read your adventures!\n\n"
        "It's a shame you don't get more time for writing."
    )
    assert comment.author_url == "https://www.blogger.com/profile/0617349827"
    assert comment.anchors == ("c5590533389087749201",)


def test_blogger_json_feed_matches_the_atom_one(payload, build) -> None:
    atom = blogger.parse_comments(payload("blogger", "pelican_bloggerexport.xml"), "x").comments
    as_json = blogger.parse_comments(build.blogger_json(), "x").comments
    assert as_json == atom


def test_blogger_post_id_and_feed_url(payload) -> None:
    page = payload("blogger", "trafilatura_plentylife.blogspot_with-comments.html")
    assert blogger.is_blogger_page(page)
    assert blogger.post_id(page, "html") == "1635172696041005740"
    assert blogger.comments_url(PLENTY, "1635172696041005740") == (
        "https://plentylife.blogspot.com/feeds/1635172696041005740/comments/default?alt=json&max-results=500"
    )
    steps = plan(PLENTY, "blogger", page, "blogger_html")
    assert [s.kind for s in steps] == ["blogger_feed", "html"]


# --- dev.to ---------------------------------------------------------------------------------------


def test_devto_article_id_and_comments(payload, build) -> None:
    body = payload("devto", "devto-api-go_api-articles-164198.json")
    url = "https://dev.to/victoravelar/a-dev-to-api-client-is-born-29pj"
    assert devto.article_id(body, "devto_api") == "164198"
    assert devto.comments_url(url, "164198") == "https://dev.to/api/comments?a_id=164198"
    [step] = plan(url, "devto", body, "devto_api")
    assert step.url == "https://dev.to/api/comments?a_id=164198"
    listing = devto.parse_comments(build.devto_comments(json.loads(body)), step.url)
    assert [(c.id, c.handle, c.parent, c.posted_at) for c in listing.comments] == [
        ("1a2b", "anarivera", "", "2019-09-03T20:15:00+00:00"),
        ("1b2c", "victoravelar", "1a2b", "2019-09-04T08:00:00+00:00"),
    ]  # the deleted one (no user) is left out
    first = listing.comments[0]
    assert first.url == "https://dev.to/anarivera/comment/1a2b" and first.author == "Ana Rivera"
    assert first.text == "Why wrap http.Client instead of taking an interface?"
    assert points_at("https://dev.to/anarivera/comment/1a2b", first)


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://dev.to/anarivera/comment/1a2b", "https://dev.to/api/comments/1a2b"),
        ("https://dev.to/victoravelar/a-dev-to-api-client-is-born-29pj", None),
    ],
)
def test_devto_comment_link(link: str, expected: str | None) -> None:
    assert devto.comment_api_url(link) == expected


# --- GitHub: utterances and giscus ----------------------------------------------------------------


def test_issue_comments_recorded(payload, build) -> None:
    body = build.replay(payload("github_comments", "pygithub_Issue.testGetComments.txt").decode())
    listing = github.parse_issue_comments(
        body, "https://api.github.com/repos/PyGithub/PyGithub/issues/28/comments"
    )
    assert [(c.id, c.handle, c.posted_at) for c in listing.comments] == [
        ("issuecomment-5449237", "jacquev6", "2012-05-01T22:03:59+00:00"),
        ("issuecomment-5518272", "roskakori", "2012-05-04T19:23:57+00:00"),
    ]
    assert listing.comments[0].text.startswith("Thank you for the suggestion.")


def test_issue_comment_webhook_object(payload) -> None:
    hook = json.loads(payload("github_comments", "octokit-webhooks_issue_comment.created.payload.json"))
    [comment] = github.parse_issue_comments(json.dumps([hook["comment"]]).encode(), "x").comments
    assert comment.url == "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400"
    assert (comment.handle, comment.author_url) == ("Codertocat", "https://github.com/Codertocat")
    assert comment.text == "You are totally right! I'll get this fixed right away."
    assert points_at("https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400", comment)


def test_discussion_graphql(payload, build) -> None:
    listing = github.parse_discussion(build.giscus())
    [comment] = listing.comments
    assert comment.id == "discussioncomment-550062" and comment.handle == "Codertocat"
    assert comment.url == "https://github.com/Codertocat/Hello-World/discussions/4#discussioncomment-550062"
    assert comment.posted_at == "2021-03-30T20:21:30+00:00" and comment.text == "ANSWER"
    recorded = payload("github_comments", "pygithub_Repository.testGetDiscussion.txt").decode()
    graphql = recorded.split("\n\n", 1)[1]  # the second exchange: POST /graphql
    empty = github.parse_discussion(build.replay(graphql))  # asked for no comments: none listed
    assert empty.comments == [] and empty.ok


def test_graphql_error() -> None:
    with pytest.raises(CommentSourceError, match="Bad credentials"):
        github.parse_discussion(
            b'{"message": "Bad credentials", "documentation_url": "https://docs.github.com"}'
        )


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (
            '<script src="https://utteranc.es/client.js" repo="ana/blog" issue-term="pathname"></script>',
            github.Widget("utterances", "ana/blog", term="2024/05/feast"),
        ),
        (
            '<script src="https://utteranc.es/client.js" repo="ana/blog" issue-term="url"></script>',
            github.Widget("utterances", "ana/blog", term="https://ana.github.io/2024/05/feast.html"),
        ),
        (
            '<script src="https://utteranc.es/client.js" repo="ana/blog" issue-term="title"></script>',
            github.Widget("utterances", "ana/blog", term="Feast for movie features"),
        ),
        (
            '<script src="https://utteranc.es/client.js" repo="ana/blog" issue-number="7"></script>',
            github.Widget("utterances", "ana/blog", number=7),
        ),
        (
            '<script src="https://giscus.app/client.js" data-repo="ana/blog" '
            'data-mapping="og:title"></script>',
            github.Widget("giscus", "ana/blog", term="Feast (og)"),
        ),
        (
            '<script src="https://giscus.app/client.js" data-repo="ana/blog" data-mapping="specific" '
            'data-term="feast-post"></script>',
            github.Widget("giscus", "ana/blog", term="feast-post"),
        ),
        (
            '<script src="https://giscus.app/client.js" data-repo="ana/blog" data-mapping="number" '
            'data-term="12"></script>',
            github.Widget("giscus", "ana/blog", number=12),
        ),
        ('<script src="https://utteranc.es/client.js" repo="not a repo"></script>', None),
    ],
)
def test_comment_widgets(script: str, expected: github.Widget | None) -> None:
    page = (
        "<html><head><title>Feast for movie features</title><meta property='og:title' content='Feast (og)'>"
        f"</head><body><article><p>Post.</p></article>{script}</body></html>"
    ).encode()
    found = github.widgets(page, "https://ana.github.io/2024/05/feast.html")
    assert found == ([expected] if expected else [])


def test_utterances_plan_searches_then_lists(payload, build) -> None:
    page = (
        b'<html><body><p>Post.</p><script src="https://utteranc.es/client.js" repo="ana/blog" '
        b'issue-term="pathname"></script></body></html>'
    )
    steps = plan(
        "https://ana.github.io/2024/05/feast", "github_pages", page, "html", github_api="http://api.test"
    )
    assert [s.kind for s in steps] == ["github_search", "html"]
    assert steps[0].url == (
        "http://api.test/search/issues?q=%222024%2F05%2Ffeast%22%20repo%3Aana%2Fblog%20in%3Atitle%20type%3Aissue"
        "&per_page=10"
    )
    items = [{"number": 3, "title": "2024/05/feast-part-2"}, {"number": 5, "title": "2024/05/feast"}]
    answer = json.dumps({"total_count": 2, "items": items}).encode()
    [follow] = steps[0].parse(answer, steps[0].url).follow
    assert (
        follow.url == "http://api.test/repos/ana/blog/issues/5/comments?per_page=100"
        and follow.auth == "github"
    )
    none = steps[0].parse(b'{"total_count": 0, "items": []}', steps[0].url)
    assert none.comments == [] and none.complete and not none.follow  # no issue yet: nobody commented


@pytest.mark.parametrize(
    ("term", "search"),
    [("pathname", "%22blog%2F%22"), ("url", "%22https%3A%2F%2Fada.github.io%2Fblog%2F%22")],
)
def test_a_repository_link_read_on_its_pages_site_maps_the_site_address(term: str, search: str) -> None:
    """The student gave github.com/ada/blog; the post (and its utterances widget) came from the Pages
    site, so the widget's discussion is the one of https://ada.github.io/blog/."""
    page = (
        b'<html><body><p>Post.</p><script src="https://utteranc.es/client.js" repo="ada/blog" '
        b'issue-term="' + term.encode() + b'"></script></body></html>'
    )
    steps = plan(
        "https://github.com/ada/blog", "github", page, "github_pages_html", github_api="http://api.test"
    )
    assert [s.kind for s in steps] == ["github_search", "html"]
    assert steps[0].url.startswith(f"http://api.test/search/issues?q={search}%20repo%3Aada%2Fblog")
    assert steps[1].url == "https://ada.github.io/blog/", "printed comments belong to the page read"


def test_giscus_plan_needs_a_token() -> None:
    page = (
        b'<html><body><script src="https://giscus.app/client.js" data-repo="ana/blog" '
        b'data-mapping="pathname"></script></body></html>'
    )
    step = plan("https://ana.github.io/feast", "github_pages", page, "html")[0]
    assert (step.kind, step.auth, step.url) == (
        "giscus_graphql",
        "github_required",
        "https://api.github.com/graphql",
    )
    query = json.loads(step.payload)
    assert query["variables"] == {"q": 'repo:ana/blog in:title "feast"'}


@pytest.mark.parametrize(
    ("link", "kind", "url"),
    [
        (
            "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400",
            "github_issue",
            "https://api.github.com/repos/Codertocat/Hello-World/issues/1/comments?per_page=100",
        ),
        (
            "https://github.com/Codertocat/Hello-World/discussions/4#discussioncomment-550062",
            "giscus_graphql",
            "https://api.github.com/graphql",
        ),
        ("https://dev.to/anarivera/comment/1a2b", "devto_api", "https://dev.to/api/comments/1a2b"),
        ("https://blog.example/2024/post/#comment-4", "page", "https://blog.example/2024/post/"),
    ],
)
def test_link_plan(link: str, kind: str, url: str) -> None:
    [step] = link_plan(link)
    assert (step.kind, step.url) == (kind, url)


# --- Canvas ---------------------------------------------------------------------------------------


def test_canvas_view(build) -> None:
    url = "https://canvas.example.edu/api/v1/courses/1/discussion_topics/1/view"
    listing = canvas.parse_view(build.canvas_view(), url)
    assert [(c.id, c.author, c.author_id, c.parent) for c in listing.comments] == [
        ("1", "John Doe", "1", ""),
        ("5", "John Smith", "", "1"),
        ("6", "John Doe", "", "1"),
        ("2", "John Smith", "2", ""),
    ]
    assert listing.comments[0].url == "https://canvas.example.edu/courses/1/discussion_topics/1#entry-1"
    assert listing.comments[0].posted_at == "2017-01-30T20:18:20+00:00"
    below = canvas.parse_view(build.canvas_view(), url, under_entry="1")  # the post is entry 1
    assert [c.id for c in below.comments] == ["5", "6"]


def test_canvas_full_view_recorded(payload) -> None:
    course = json.loads(payload("canvas", "canvasapi_course.json"))
    body = json.dumps(course["get_full_discussion_topic"]["data"]).encode()
    listing = canvas.parse_view(body, "https://canvas.example.edu/api/v1/courses/1/discussion_topics/1/view")
    assert [c.id for c in listing.comments] == ["1"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://canvas.example.edu/courses/1/discussion_topics/1",
            "https://canvas.example.edu/api/v1/courses/1/discussion_topics/1/view",
        ),
        (
            "https://canvas.example.edu/groups/9/discussion_topics/4#entry-7",
            "https://canvas.example.edu/api/v1/groups/9/discussion_topics/4/view",
        ),
        ("https://canvas.example.edu/courses/1/assignments/3", None),
    ],
)
def test_canvas_view_url(url: str, expected: str | None) -> None:
    assert canvas.view_url(url) == expected


@pytest.mark.parametrize(
    "topic",
    [
        "https://canvas.example.edu/courses/1/discussion_topics/4",
        "https://canvas.example.edu/courses/1/discussion_topics/4/",
        "https://canvas.example.edu/courses/1/discussion_topics/4?module_item_id=9",
    ],
)
def test_discussion_plan_reads_the_whole_topic(build, topic: str) -> None:
    [step] = discussion_plan(topic)
    assert step.url == "https://canvas.example.edu/api/v1/courses/1/discussion_topics/4/view"
    assert (step.kind, step.auth) == ("canvas_view", "canvas")  # the course token, to Canvas only
    listing = step.parse(build.canvas_view(), step.url)
    assert [c.id for c in listing.comments] == ["1", "5", "6", "2"]  # every reply, not one entry's


@pytest.mark.parametrize("topic", ["", "https://medium.com/@ana/feast-1a2b3c4d5e6f"])
def test_no_discussion_plan_without_a_canvas_topic(topic: str) -> None:
    assert discussion_plan(topic) == []


def _listing(*ids: str, ok: bool = True, complete: bool = True, note: str = "") -> Listing:
    comments = [Comment("web", i) for i in ids]
    return Listing(comments=comments if ok else [], ok=ok, complete=complete, notes=[note] if note else [])


@pytest.mark.parametrize(
    ("own", "topic", "ids", "ok", "complete"),
    [
        (_listing("c1"), _listing("e1"), ["c1", "e1"], True, True),  # both read in full
        (_listing("c1", complete=False), _listing("e1"), ["c1", "e1"], True, False),
        (_listing(ok=False, note="HTTP 500"), _listing("e1"), ["e1"], True, False),  # one place unread
        (_listing("c1"), _listing(ok=False, note="401"), ["c1"], True, False),
        (None, _listing("e1"), ["e1"], True, False),  # Medium: its responses are never all listed
        (None, _listing(ok=False, note="401"), [], False, False),
        (_listing(ok=False), _listing(ok=False), [], False, False),
    ],
)
def test_combine_a_post_and_its_topic(
    own: Listing | None, topic: Listing, ids: list[str], ok: bool, complete: bool
) -> None:
    joined = combine(own, topic)
    assert ([c.id for c in joined.comments], joined.ok, joined.complete) == (ids, ok, complete)
    assert joined.notes == [n for p in (own, topic) if p is not None for n in p.notes]


# --- Medium ---------------------------------------------------------------------------------------


def test_medium_feed_items(payload) -> None:
    listing = medium.parse_feed_items(
        payload("medium", "jekyll-import_medium_feed.xml"), "https://medium.com/feed/@John.Doe"
    )
    assert [(c.id, c.author, c.handle, c.posted_at) for c in listing.comments] == [
        ("50703370aea7", "John Doe", "John.Doe", "2022-11-22T08:01:46+00:00"),
        ("1cdf174bc674", "John Doe", "John.Doe", "2022-11-10T21:39:51+00:00"),
    ]
    assert listing.comments[0].url == "https://example.com/blog/this-is-a-dummy-post-50703370aea7"
    assert listing.comments[0].text == "The quick brown fox jumps over the lazy dog"
    assert listing.comments[0].in_reply_to == ""  # a feed does not say what an item answers
    assert not listing.complete  # the feed lists only the latest items


def test_medium_response_json(payload) -> None:
    body = payload("medium", "mediumexporter_testpost_format-json.json")
    url = "https://medium.com/@PatrickHeneise/going-serverless-without-serverless-fcd5dd43ac86"
    [story] = medium.parse_response_json(body, url).comments
    assert (story.id, story.author, story.handle) == ("fcd5dd43ac86", "Patrick Heneise", "PatrickHeneise")
    assert (
        story.posted_at == "2018-08-31T12:54:44+00:00" and story.in_reply_to == ""
    )  # a story, not a response
    assert story.text.startswith("Going Serverless, without serverless.\n\nAutomated deployment")
    raw = body.decode()
    response = raw.replace('"inResponseToPostId":""', '"inResponseToPostId":"3f9a1c2b7d4e"', 1)
    [answer] = medium.parse_response_json(response.encode(), url).comments
    assert answer.in_reply_to == "3f9a1c2b7d4e"


def test_medium_challenge_is_no_response() -> None:
    page = (
        b"<html><head><title>Just a moment...</title></head>"
        b"<body><div id='cf-challenge-running'></div></body></html>"
    )
    with pytest.raises(CommentSourceError, match="challenge"):
        medium.parse_response_json(page, "https://medium.com/@a/x-1a2b3c4d5e6f?format=json")


@pytest.mark.parametrize(
    ("url", "handle", "feed"),
    [
        ("https://medium.com/@ana.rivera/3f9a1c2b7d4e", "ana.rivera", "https://medium.com/feed/@ana.rivera"),
        ("https://anarivera.medium.com/feast-3f9a1c2b7d4e", "anarivera", "https://anarivera.medium.com/feed"),
        ("http://127.0.0.1:9000/@ana/response-3f9a1c2b7d4e", "ana", "http://127.0.0.1:9000/feed/@ana"),
        ("https://medium.com/p/3f9a1c2b7d4e", "", None),
    ],
)
def test_medium_handles_and_feeds(url: str, handle: str, feed: str | None) -> None:
    assert medium.handle_of(url) == handle
    assert medium.feed_url(url) == feed


# --- links ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "page", "anchor"),
    [
        (
            "https://site.org/2016/post/comment-page-1/#comment-129",
            "https://site.org/2016/post/",
            "comment-129",
        ),
        (
            "https://x.blogspot.com/2017/05/p.html?showComment=1494425649856#c5689936624652663696",
            "https://x.blogspot.com/2017/05/p.html",
            "c5689936624652663696",
        ),
        ("https://dev.to/ana/comment/1a2b", "https://dev.to/ana/comment/1a2b", "1a2b"),
        (
            "https://canvas.example.edu/courses/1/discussion_topics/1#entry-7",
            "https://canvas.example.edu/courses/1/discussion_topics/1",
            "entry-7",
        ),
        ("https://blog.example/post?utm_source=x&replytocom=5", "https://blog.example/post?utm_source=x", ""),
    ],
)
def test_link_parts(link: str, page: str, anchor: str) -> None:
    assert page_url(link) == page
    assert anchor_of(link) == anchor


@pytest.mark.parametrize(
    ("link", "hit"),
    [
        ("https://canvas.example.edu/courses/1/discussion_topics/1#entry-5", True),
        ("https://canvas.example.edu/courses/1/discussion_topics/1/entries/5", True),
        ("https://canvas.example.edu/courses/1/discussion_topics/1?entry_id=5", True),
        ("https://canvas.example.edu/courses/1/discussion_topics/1#entry-6", False),
        ("https://canvas.example.edu/courses/1/discussion_topics/2#entry-5", False),
    ],
)
def test_canvas_entry_links(build, link: str, hit: bool) -> None:
    view = "https://canvas.example.edu/api/v1/courses/1/discussion_topics/1/view"
    reply = next(c for c in canvas.parse_view(build.canvas_view(), view).comments if c.id == "5")
    assert points_at(link, reply) is hit
