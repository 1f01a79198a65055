"""Serve the bundled sample course on 127.0.0.1 while the demo runs."""

from __future__ import annotations

import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from importlib.resources.abc import Traversable
from urllib.parse import unquote, urlsplit

DEMO_PORT = 8765


def course_files() -> Traversable:
    """The bundled sample course (roster, claim sheet, posts)."""
    return resources.files("bot").joinpath("demo", "course")


class CourseServer:
    """A loopback web server: the claim sheet as CSV and each post at its Medium-like path."""

    def __init__(self, files: Traversable | None = None, port: int = DEMO_PORT) -> None:
        self.files = files or course_files()
        # A steady port keeps the demo's links, and so its database, the same run after run.
        for candidate in [*range(port, port + 10), 0]:
            try:
                self.httpd = ThreadingHTTPServer(("127.0.0.1", candidate), self._handler())
                break
            except OSError:
                continue
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> CourseServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def page(self, path: str) -> tuple[bytes, str] | None:
        """The body and content type served at `path`, or None for a 404."""
        if path == "/claims.csv":
            text = self.files.joinpath("claims.csv").read_text("utf-8")
            return text.replace("{base}", self.base).encode(), "text/csv; charset=utf-8"
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0].startswith("@") and "." not in parts[1]:
            name = f"{parts[0][1:]}__{parts[1]}.html"
            if "/" not in name and ".." not in name:
                page = self.files.joinpath("posts", name)
                if page.is_file():
                    return page.read_bytes(), "text/html; charset=utf-8"
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                found = server.page(unquote(urlsplit(self.path).path))
                if found is None:
                    self.send_error(HTTPStatus.NOT_FOUND, "no such post")
                    return
                body, content_type = found
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet: the demo prints its own progress

        return Handler
