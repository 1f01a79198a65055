"""The fetcher against hostile servers on loopback: every failure has a reason, nothing raises."""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from werkzeug import Request, Response

from scrapers.fetch import Fetcher, FetchPolicy

HTML = b"<html><head><title>Post</title></head><body><p>Hello movie fans.</p></body></html>"


@contextlib.contextmanager
def raw_server(answer: bytes) -> Iterator[str]:
    """A one-shot TCP server on loopback that answers every connection with fixed bytes."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def serve() -> None:
        with contextlib.suppress(OSError):
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(answer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/r"
    finally:
        listener.close()
        thread.join(timeout=5)


def fetcher(**overrides) -> Fetcher:  # type: ignore[no-untyped-def]
    policy = dict(
        allow_loopback=True,
        per_host_delay=0.0,
        backoff=0.01,
        respect_robots=False,
        read_timeout=2.0,
        deadline=3.0,
    )
    policy.update(overrides)
    return Fetcher(FetchPolicy(**policy), sleep=lambda s: None)


def test_fetches_a_page(httpserver) -> None:
    httpserver.expect_request("/post").respond_with_data(
        HTML, content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'}
    )
    result = fetcher().fetch(httpserver.url_for("/post"))
    assert result.ok and result.body == HTML and result.status == 200
    assert result.headers["etag"] == '"v1"' and result.charset == "utf-8"


def test_sends_user_agent_with_contact(httpserver) -> None:
    httpserver.expect_request(
        "/p", headers={"User-Agent": "Reviewbot/0.1 (+https://x.edu/bot)"}
    ).respond_with_data(HTML, content_type="text/html")
    assert fetcher(user_agent="Reviewbot/0.1 (+https://x.edu/bot)").fetch(httpserver.url_for("/p")).ok


def test_conditional_request_304(httpserver) -> None:
    httpserver.expect_request("/p", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    result = fetcher().fetch(httpserver.url_for("/p"), etag='"v1"')
    assert result.ok and result.not_modified and result.body == b""


@pytest.mark.parametrize(
    ("status", "reason"),
    [(401, "not public"), (403, "login wall"), (404, "not found"), (410, "gone"), (500, "server failed")],
)
def test_error_statuses(httpserver, status: int, reason: str) -> None:
    httpserver.expect_request("/p").respond_with_data("no", status=status)
    result = fetcher().fetch(httpserver.url_for("/p"))
    assert not result.ok and reason in result.error and result.status == status


def test_retries_429_honouring_retry_after(httpserver) -> None:
    waits: list[float] = []
    calls = iter([429, 503, 200])

    def handler(request: Request) -> Response:
        status = next(calls)
        return Response(HTML if status == 200 else "wait", status=status, headers={"Retry-After": "2"},
                        content_type="text/html")  # fmt: skip

    httpserver.expect_request("/p").respond_with_handler(handler)
    fetch = Fetcher(FetchPolicy(allow_loopback=True, per_host_delay=0, backoff=0.01, respect_robots=False),
                    sleep=waits.append)  # fmt: skip
    result = fetch.fetch(httpserver.url_for("/p"))
    assert result.ok and waits == [2.0, 2.0]


def test_gives_up_on_an_absurd_retry_after(httpserver) -> None:
    httpserver.expect_request("/p").respond_with_data("busy", status=429, headers={"Retry-After": "86400"})
    result = fetcher().fetch(httpserver.url_for("/p"))
    assert "rate-limiting" in result.error and "86400" in result.error


def test_size_cap_by_header(httpserver) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 2_000_001, content_type="text/html")
    result = fetcher(max_bytes=1_000_000).fetch(httpserver.url_for("/big"))
    assert result.error.startswith("too large") and result.body == b""


def test_ten_megabyte_page_streamed_without_length(httpserver) -> None:
    def handler(request: Request) -> Response:
        return Response((b"<p>" + b"a" * 65536 for _ in range(160)), content_type="text/html")

    httpserver.expect_request("/big").respond_with_handler(handler)
    result = fetcher(max_bytes=5_000_000).fetch(httpserver.url_for("/big"))
    assert result.error.startswith("too large")


def test_gzip_bomb_is_capped_after_decompression(httpserver) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)  # 50 MB of zeros in about 50 KB
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    result = fetcher(max_bytes=1_000_000).fetch(httpserver.url_for("/bomb"))
    assert result.error.startswith("too large") and len(result.body) == 0


def test_non_html_is_refused(httpserver) -> None:
    httpserver.expect_request("/img").respond_with_data(b"\x89PNG....", content_type="image/png")
    assert fetcher().fetch(httpserver.url_for("/img")).error == "not HTML (content type image/png)"


def test_empty_body(httpserver) -> None:
    httpserver.expect_request("/e").respond_with_data(b"", content_type="text/html")
    assert fetcher().fetch(httpserver.url_for("/e")).error == "empty page"


def test_redirects_followed_and_limited(httpserver) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=301, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/c"})
    httpserver.expect_request("/c").respond_with_data(HTML, content_type="text/html")
    result = fetcher().fetch(httpserver.url_for("/a"))
    assert result.ok and result.final_url == httpserver.url_for("/c")
    assert fetcher(max_redirects=1).fetch(httpserver.url_for("/a")).error.startswith("too many redirects")


def test_redirect_loop(httpserver) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    assert fetcher().fetch(httpserver.url_for("/a")).error == "redirect loop"


@pytest.mark.parametrize(
    "target",
    ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/", "http://[::ffff:10.0.0.1]/"],
)
def test_redirect_to_a_private_address_is_refused(httpserver, target: str) -> None:
    httpserver.expect_request("/r").respond_with_data("", status=302, headers={"Location": target})
    result = fetcher(connect_timeout=1).fetch(httpserver.url_for("/r"))
    assert result.error.startswith("unsafe address"), result.error


def test_redirect_to_another_scheme_is_refused(httpserver) -> None:
    httpserver.expect_request("/r").respond_with_data(
        "", status=302, headers={"Location": "file:///etc/passwd"}
    )
    assert (
        fetcher()
        .fetch(httpserver.url_for("/r"))
        .error.startswith("unsafe address: redirect to a non-web link")
    )


def test_loopback_refused_outside_tests(httpserver) -> None:
    httpserver.expect_request("/p").respond_with_data(HTML, content_type="text/html")
    result = Fetcher(FetchPolicy(respect_robots=False)).fetch(httpserver.url_for("/p"))
    assert result.error.startswith("unsafe address") and not httpserver.log


def test_dns_failure() -> None:
    assert fetcher().fetch("https://no-such-host.invalid/post").error == "DNS failure: no such host"


def test_connection_refused() -> None:
    assert "refused" in fetcher().fetch("http://127.0.0.1:9/post").error


def test_slow_server_that_trickles_bytes(httpserver) -> None:
    def trickle(request: Request) -> Response:
        def body():  # type: ignore[no-untyped-def]
            for _ in range(100):
                time.sleep(0.05)
                yield b"<p>a</p>"

        return Response(body(), content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(trickle)
    started = time.monotonic()
    result = fetcher(deadline=1.0).fetch(httpserver.url_for("/slow"))
    assert result.error.startswith("timeout") and time.monotonic() - started < 3


def test_slow_server_that_trickles_its_headers() -> None:
    """A header line every half second never trips a per-read timeout; the header deadline stops it."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
            with contextlib.suppress(OSError):
                for _ in range(20):  # 10 s of headers, unless cut off
                    if stop.wait(0.5):
                        break
                    conn.sendall(b"X-Slow: a\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        result = fetcher(deadline=1.0, read_timeout=2.0).fetch(
            f"http://127.0.0.1:{listener.getsockname()[1]}/p"
        )
    finally:
        stop.set()
        listener.close()
    assert result.error.startswith("timeout") and time.monotonic() - started < 4


def test_server_that_never_answers(httpserver) -> None:
    def hang(request: Request) -> Response:
        time.sleep(2)
        return Response(HTML, content_type="text/html")

    httpserver.expect_request("/hang").respond_with_handler(hang)
    assert fetcher(read_timeout=0.5).fetch(httpserver.url_for("/hang")).error.startswith("timeout")


def test_robots_txt_respected(httpserver) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: Reviewbot\nDisallow: /private/\n")
    httpserver.expect_request("/private/post").respond_with_data(HTML, content_type="text/html")
    httpserver.expect_request("/public/post").respond_with_data(HTML, content_type="text/html")
    fetch = fetcher(respect_robots=True)
    assert fetch.fetch(httpserver.url_for("/private/post")).error == "blocked by robots.txt"
    assert fetch.fetch(httpserver.url_for("/public/post")).ok
    assert fetcher(respect_robots=False).fetch(httpserver.url_for("/private/post")).ok


def test_missing_robots_txt_allows(httpserver) -> None:
    httpserver.expect_request("/p").respond_with_data(HTML, content_type="text/html")
    assert fetcher(respect_robots=True).fetch(httpserver.url_for("/p")).ok


def test_per_host_delay(httpserver) -> None:
    httpserver.expect_request("/p").respond_with_data(HTML, content_type="text/html")
    fetch = fetcher(per_host_delay=0.3)
    started = time.monotonic()
    for _ in range(3):
        assert fetch.fetch(httpserver.url_for("/p")).ok
    assert time.monotonic() - started >= 0.6


def test_credentials_never_follow_a_redirect_to_another_host(httpserver) -> None:
    other = httpserver.url_for("/landing").replace("localhost", "127.0.0.1")
    httpserver.expect_request("/api", headers={"Authorization": "Bearer t0ken"}).respond_with_data(
        "", status=302, headers={"Location": other}
    )
    httpserver.expect_request("/landing").respond_with_data(HTML, content_type="text/html")
    result = fetcher().fetch(httpserver.url_for("/api"), credentials={"Authorization": "Bearer t0ken"})
    assert result.ok
    landing = [request for request, _ in httpserver.log if request.path == "/landing"]
    assert landing and "Authorization" not in landing[0].headers


@pytest.mark.parametrize("retry_after", ["soon", "1.5", "Wed, 99 Foo 2026"])
def test_unreadable_retry_after_falls_back_to_backoff(httpserver, retry_after: str) -> None:
    calls = iter([429, 200])
    httpserver.expect_request("/p").respond_with_handler(
        lambda request: Response(
            HTML, status=next(calls), headers={"Retry-After": retry_after}, content_type="text/html"
        )
    )
    assert fetcher().fetch(httpserver.url_for("/p")).ok


def test_malformed_redirect_is_a_reason_not_a_crash() -> None:
    answer = b"HTTP/1.1 302 Found\r\nLocation: http://[::1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    with raw_server(answer) as url:  # werkzeug refuses to send such a header, so a bare socket does
        assert fetcher().fetch(url).error.startswith("malformed redirect")


def test_robots_txt_that_trickles_is_cut_off(httpserver) -> None:
    def trickle(request: Request) -> Response:
        def body():  # type: ignore[no-untyped-def]
            for _ in range(60):
                time.sleep(0.05)
                yield b"#"

        return Response(body(), content_type="text/plain")

    httpserver.expect_request("/robots.txt").respond_with_handler(trickle)
    httpserver.expect_request("/p").respond_with_data(HTML, content_type="text/html")
    started = time.monotonic()
    assert fetcher(respect_robots=True, deadline=0.5).fetch(httpserver.url_for("/p")).ok
    assert time.monotonic() - started < 2.5
