"""GitHub links: a repository is read from its GitHub Pages site first, then its README, then its
page; files and gists as raw files. End to end over loopback HTTPS standing in for GitHub's hosts."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from pathlib import Path

import pytest

from bot.extracting import article_from_url
from bot.fetching import PostFetcher
from bot.store import Store
from scrapers.fetch import Fetcher, FetchPolicy
from scrapers.platforms import PlatformError, github, plan, web

REPO = "https://github.com/Leamota/movie-mlops-lab"
PAGES = "https://leamota.github.io/movie-mlops-lab/"
README = "https://raw.githubusercontent.com/Leamota/movie-mlops-lab/HEAD/README.md"

POST = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Catching Data Drift in Movie Recommendations with Evidently AI</title></head><body><main>
<h1>Catching Data Drift in Movie Recommendations with Evidently AI</h1>
<h2>Problem addressed</h2>
<p>A recommender trained on last season's viewing keeps promoting thrillers after the audience has
moved on to animation. Nothing crashes and no error is logged, so the drop in relevance goes
unnoticed until engagement falls and subscribers start to leave.</p>
<h2>Practical use in a movie-streaming scenario</h2>
<p>I simulated watch logs with region, device, age group and genre affinity, trained a baseline
watch-probability model, then added a spike in animation views. Evidently compared the reference
week with the current week and flagged drift in the genre features and in the prediction scores.</p>
<pre><code>report = Report(metrics=[DataDriftPreset()])
report.run(reference_data=ref_logs, current_data=cur_logs)</code></pre>
<h2>Strengths and limitations</h2>
<p>The reports are quick to produce and easy to read for engineers and product people alike, but
they describe drift rather than decide what to do about it: alerting and retraining still have to
be wired into the pipeline, and large logs need sampling before a report stays fast.</p>
</main></body></html>"""
SETUP_README = b"""# movie-mlops-lab

## Setup

1. `python -m venv venv` and activate it.
2. `pip install -r requirements.txt`
3. `python data_simulation.py`, then `python monitor_drift.py`.

The write-up is on the project's site.
"""
LANDING = b"""<!DOCTYPE html><html><head><title>movie-mlops-lab</title></head><body>
<h1>movie-mlops-lab</h1><p>Coming soon.</p><a href="https://github.com/Leamota/movie-mlops-lab">View on
GitHub</a></body></html>"""


# the URL mapping -------------------------------------------------------------------------------

PLANS = [
    ("repository root", REPO, [("github_pages_html", PAGES), ("github_readme", README), ("html", REPO)]),
    (
        "repository root, trailing slash, .git, fragment",
        "https://www.github.com/ada/feast-movies.git/#readme",
        [
            ("github_pages_html", "https://ada.github.io/feast-movies/"),
            ("github_readme", "https://raw.githubusercontent.com/ada/feast-movies/HEAD/README.md"),
            ("html", "https://www.github.com/ada/feast-movies.git/#readme"),
        ],
    ),
    (
        "tree root: the site is the repository's whatever the branch",
        "https://github.com/ada/feast-movies/tree/main",
        [
            ("github_pages_html", "https://ada.github.io/feast-movies/"),
            ("github_readme", "https://raw.githubusercontent.com/ada/feast-movies/main/README.md"),
            ("html", "https://github.com/ada/feast-movies/tree/main"),
        ],
    ),
    (
        "tree folder: no site of its own",
        "https://github.com/ada/feast-movies/tree/main/post",
        [
            ("github_readme", "https://raw.githubusercontent.com/ada/feast-movies/main/post/README.md"),
            ("html", "https://github.com/ada/feast-movies/tree/main/post"),
        ],
    ),
    (
        "blob",
        "https://github.com/ada/feast-movies/blob/main/post.md",
        [
            ("github_raw", "https://raw.githubusercontent.com/ada/feast-movies/main/post.md"),
            ("html", "https://github.com/ada/feast-movies/blob/main/post.md"),
        ],
    ),
    (
        "raw",
        "https://raw.githubusercontent.com/ada/feast-movies/main/post.md",
        [
            ("github_raw", "https://raw.githubusercontent.com/ada/feast-movies/main/post.md"),
            ("html", "https://raw.githubusercontent.com/ada/feast-movies/main/post.md"),
        ],
    ),
    (
        "gist",
        "https://gist.github.com/ada/0123456789abcdef",
        [
            ("github_raw", "https://gist.githubusercontent.com/ada/0123456789abcdef/raw"),
            ("html", "https://gist.github.com/ada/0123456789abcdef"),
        ],
    ),
    (
        "the owner's own site repository",
        "https://github.com/Ada-Lee/ada-lee.GitHub.io",
        [
            ("github_pages_html", "https://ada-lee.github.io/"),
            ("github_readme", "https://raw.githubusercontent.com/Ada-Lee/ada-lee.GitHub.io/HEAD/README.md"),
            ("html", "https://github.com/Ada-Lee/ada-lee.GitHub.io"),
        ],
    ),
    (
        "uppercase owner: the host is lower-cased, the repository keeps its spelling",
        "https://github.com/LeaMota/Movie-MLOps-Lab",
        [
            ("github_pages_html", "https://leamota.github.io/Movie-MLOps-Lab/"),
            ("github_readme", "https://raw.githubusercontent.com/LeaMota/Movie-MLOps-Lab/HEAD/README.md"),
            ("html", "https://github.com/LeaMota/Movie-MLOps-Lab"),
        ],
    ),
    (
        "issues",
        "https://github.com/ada/feast-movies/issues",
        [("html", "https://github.com/ada/feast-movies/issues")],
    ),
    ("profile", "https://github.com/ada", [("html", "https://github.com/ada")]),
]


@pytest.mark.parametrize(("case", "url", "expected"), PLANS, ids=[case for case, _, _ in PLANS])
def test_plan_for_github_links(case: str, url: str, expected: list[tuple[str, str]]) -> None:
    """Each GitHub link gives its fetches in order; the Pages step only for a repository root."""
    steps = plan(url, "github")
    assert [(s.kind, s.url) for s in steps] == expected
    kinds = {s.kind: s.parse for s in steps}
    if "github_pages_html" in kinds:
        assert kinds["github_pages_html"] is github.site_from_pages
    assert [s.kind for s in plan(url)] == [kind for kind, _ in expected], "platform worked out alike"


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/evil@127.0.0.1/x",  # not an account name: no host built from it
        "https://github.com/-ada/feast",
        "https://github.com/ada/..",
        "https://github.com/ada/feast/blob/main/README.md",
        "https://github.com/ada/feast/tree/main/docs",
        "https://github.com/ada/feast/wiki",
        "https://gist.github.com/ada/0123456789abcdef",
        "https://ada.github.io/feast/",
        "https://gitlab.com/ada/feast",
        "not a link",
    ],
)
def test_no_pages_site_for_other_links(url: str) -> None:
    assert github.pages_url(url) is None


# reading the site ------------------------------------------------------------------------------


def test_site_from_pages_reads_a_real_jekyll_post(platform_file) -> None:
    """A captured GitHub Pages (Jekyll minima) post is read like any page, as a github_pages post."""
    body = platform_file("jekyll", "01shobitha_minima_post_Solving-Two-Sum.html")
    article = github.site_from_pages(body, "https://github.com/01shobitha/blog")
    assert (article.platform, article.title) == ("github_pages", "Solving Two-Sum")
    assert article.source == "https://github.com/01shobitha/blog", "the post's link, not the site's"
    assert [b.text for b in article.blocks] == [
        b.text for b in web.page_from_html(body, "https://github.com/01shobitha/blog").blocks
    ]


def test_site_from_pages_refuses_a_landing_page() -> None:
    """A front page with almost no prose is not the post: the next step (the README) is read."""
    with pytest.raises(PlatformError, match=r"GitHub Pages site has almost no text \(\d+ words\)"):
        github.site_from_pages(LANDING, REPO)
    assert github.site_from_pages(POST, REPO).words >= github.MIN_PAGES_WORDS


# end to end over loopback ----------------------------------------------------------------------


@pytest.fixture
def fetcher(github_hosts) -> Fetcher:  # type: ignore[no-untyped-def]
    policy = FetchPolicy(allow_loopback=True, per_host_delay=0, respect_robots=False, backoff=0.01)
    client = Fetcher(policy, sleep=lambda s: None)
    client.session.verify = str(github_hosts.ca)
    return client


@pytest.fixture
def course(store: Store, make_config, tmp_path: Path):  # type: ignore[no-untyped-def]
    store.save("students", {"key": "lea", "name": "Lea", "role": "student", "active": 1}, "key")
    return make_config(storage={"snapshots": str(tmp_path / "snapshots")})


def fetch_post(store: Store, course, fetcher: Fetcher, url: str = REPO):  # type: ignore[no-untyped-def]
    store.save(
        "posts",
        {"key": "lea-post", "url": url, "student_key": "lea", "platform": "github", "status": "current"},
        "key",
    )
    [outcome] = PostFetcher(store, course, fetcher).run()
    return outcome


def test_repository_post_is_read_from_its_pages_site(github_hosts, fetcher, store, course) -> None:  # type: ignore[no-untyped-def]
    github_hosts.expect(PAGES).respond_with_data(POST, content_type="text/html; charset=utf-8")
    github_hosts.expect(README).respond_with_data(SETUP_README, content_type="text/plain; charset=utf-8")
    outcome = fetch_post(store, course, fetcher)
    assert (outcome.status, outcome.kind) == ("ok", "github_pages_html"), outcome.reason
    assert github_hosts.requested == [PAGES], "the first step that gives a post ends the plan"
    post = store.get("posts", "lea-post")
    assert post["title"] == "Catching Data Drift in Movie Recommendations with Evidently AI"
    assert post["snapshot_kind"] == "github_pages_html" and post["words"] >= github.MIN_PAGES_WORDS
    assert next(store.rows("snapshots"))["url"] == PAGES
    again = PostFetcher(store, course, fetcher).article_of(post)
    assert again is not None and again.platform == "github_pages" and "animation" in again.text


def test_real_pages_post_over_loopback(github_hosts, fetcher, platform_file) -> None:  # type: ignore[no-untyped-def]
    """`reviewbot extract <repo link>`: the captured Jekyll post served as the repository's site."""
    body = platform_file("jekyll", "01shobitha_minima_post_Solving-Two-Sum.html")
    site = "https://01shobitha.github.io/blog/"
    github_hosts.expect(site).respond_with_data(body, content_type="text/html")
    article = article_from_url("https://github.com/01shobitha/blog", fetcher)
    assert (article.platform, article.title) == ("github_pages", "Solving Two-Sum")
    assert "Hope it helps." in article.text


def test_no_pages_site_falls_back_to_the_readme(github_hosts, fetcher, store, course) -> None:  # type: ignore[no-untyped-def]
    github_hosts.expect(README).respond_with_data(SETUP_README, content_type="text/plain; charset=utf-8")
    outcome = fetch_post(store, course, fetcher)
    assert (outcome.status, outcome.kind) == ("ok", "github_readme"), outcome.reason
    assert github_hosts.requested == [PAGES, README], "Pages answered 404, then the README"
    assert store.get("posts", "lea-post")["title"] == "movie-mlops-lab"


def test_landing_page_falls_back_to_the_readme(github_hosts, fetcher, store, course) -> None:  # type: ignore[no-untyped-def]
    github_hosts.expect(PAGES).respond_with_data(LANDING, content_type="text/html")
    github_hosts.expect(README).respond_with_data(SETUP_README, content_type="text/plain; charset=utf-8")
    outcome = fetch_post(store, course, fetcher)
    assert (outcome.status, outcome.kind) == ("ok", "github_readme"), outcome.reason
    assert [v.kind for v in outcome.versions] == ["github_pages_html", "github_readme"], "both kept"
    assert store.get("posts", "lea-post")["snapshot_kind"] == "github_readme"


def test_nothing_anywhere_names_the_first_reason(github_hosts, fetcher, store, course) -> None:  # type: ignore[no-untyped-def]
    """A private or missing repository: every step answers 404 and the post fails as not found."""
    outcome = fetch_post(store, course, fetcher)
    assert outcome.status == "failed" and "not found" in outcome.reason
    assert github_hosts.requested == [PAGES, README, REPO]


def test_user_site_repository_reads_the_site_root(github_hosts, fetcher, store, course) -> None:  # type: ignore[no-untyped-def]
    github_hosts.expect("https://leamota.github.io/").respond_with_data(POST, content_type="text/html")
    outcome = fetch_post(store, course, fetcher, "https://github.com/Leamota/Leamota.github.io")
    assert (outcome.status, outcome.kind) == ("ok", "github_pages_html"), outcome.reason
    assert github_hosts.requested == ["https://leamota.github.io/"]


def test_a_pages_site_trickling_its_headers_over_tls_is_cut_off(github_tls, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A hostile site sends a header line every half second over HTTPS: no single read times out,
    the header deadline ends it (the socket under TLS is shut down)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(github_tls[1], github_tls[2])
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        with (
            contextlib.suppress(OSError),
            context.wrap_socket(listener.accept()[0], server_side=True) as conn,
        ):
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
            for _ in range(20):  # 10 s of headers, unless cut off
                if stop.wait(0.5):
                    break
                conn.sendall(b"X-Slow: a\r\n")

    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        # the guard resolves the name, then connects to the address on the link's port (443)
        if str(host).lower() == "slow.github.io" or (str(host) == "127.0.0.1" and str(port) == "443"):
            return real("127.0.0.1", listener.getsockname()[1], *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    threading.Thread(target=serve, daemon=True).start()
    policy = FetchPolicy(
        allow_loopback=True, per_host_delay=0, respect_robots=False, deadline=1.0, read_timeout=2
    )
    client = Fetcher(policy, sleep=lambda s: None)
    client.session.verify = str(github_tls[0])
    started = time.monotonic()
    try:
        result = client.fetch("https://slow.github.io/blog/")
    finally:
        stop.set()
        listener.close()
    assert result.error.startswith("timeout") and time.monotonic() - started < 4
