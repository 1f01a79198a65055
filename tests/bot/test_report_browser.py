"""The HTML dashboard in a real browser: headless Chromium loads it offline without a console message,
sorts and filters, and shows the table in a screenshot.

Skipped (with the reason) when Chromium is not installed: `apt-get install -y chromium` on Debian;
`REVIEWBOT_CHROMIUM=/path/to/chrome` picks another binary.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from bot.report import coverage
from bot.report_html import write_html
from bot.store import Store

_spec = importlib.util.spec_from_file_location("report_builder", Path(__file__).with_name("test_report.py"))
builder = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(builder)  # type: ignore[union-attr]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]
# The report's order (by name, as SQLite sorts: "<" before letters)
NAMES = [builder.HOSTILE, "Ana Rivera", "Ben Ode", "Cy Lam", "Dee Quinn", "Fay Ng", "Gus Ito"]


def find_chromium() -> str | None:
    override = os.environ.get("REVIEWBOT_CHROMIUM")
    if override:
        return override if Path(override).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install -y chromium); browser checks of the HTML "
    "report skipped",
)


@pytest.fixture
def report_file(store: Store, make_config, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    builder.sample_course(store)
    config = make_config(course=dict(builder.COURSE))
    return write_html(coverage(store, None, config), tmp_path / "report.html")


def run_chromium(tmp_path: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{time.monotonic_ns()}"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],  # type: ignore[list-item]
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def console_lines(stderr: str) -> list[str]:
    """Console messages Chromium logged for the page (any of them is a failure: the page logs nothing)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


# --- the command line the README and CI use -----------------------------------------------------


def test_screenshot_shows_the_table(report_file: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    done = run_chromium(tmp_path, f"--screenshot={png}", "--window-size=1400,1000", report_file.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_lines(done.stderr) == []
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1400, 1000)
    assert len(data) > 30_000, "a blank page compresses to a few KB; the report is far larger"


class Visible(HTMLParser):
    """Names of the table rows in DOM order, with whether each is hidden, from --dump-dom."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, bool]] = []
        self.root: dict[str, str | None] = {}
        self._row_hidden: bool | None = None
        self._in_name = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.root = a
        if tag == "tr" and "data-sections" in a:
            self._row_hidden = "hidden" in a
        if tag == "span" and a.get("class") == "name" and self._row_hidden is not None:
            self._in_name = True

    def handle_data(self, data: str) -> None:
        if self._in_name:
            self.rows.append((data, bool(self._row_hidden)))
            self._in_name = False


def dump(tmp_path: Path, url: str) -> tuple[Visible, str]:
    done = run_chromium(tmp_path, "--dump-dom", url)
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_lines(done.stderr) == []
    parsed = Visible()
    parsed.feed(done.stdout)
    assert parsed.root.get("data-ready") == "1", "the page script did not finish"
    assert "data-script-errors" not in parsed.root
    return parsed, done.stdout


@pytest.mark.parametrize(
    ("fragment", "shown"),
    [
        ("", NAMES),
        ("#flag=late", ["Cy Lam"]),
        ("#flag=none", [builder.HOSTILE, "Ana Rivera"]),
        ("#section=strengths_limitations:no", ["Ben Ode", "Cy Lam"]),
        ("#section=all:yes", [builder.HOSTILE, "Ana Rivera"]),
        ("#q=team-3", [builder.HOSTILE, "Fay Ng", "Gus Ito"]),
        ("#q=TEAM-3&flag=video_post", ["Fay Ng"]),
        ("#reviews=given:incomplete&q=team-1", ["Ben Ode"]),
        ("#sort=name:desc", sorted(NAMES, key=str.lower, reverse=True)),
        ("#sort=problem:desc&section=any:no", ["Ben Ode", "Cy Lam"]),
        ("#flag=no-such-flag", NAMES),  # an unknown value is ignored, not an error
    ],
)
def test_url_fragment_filters_and_sorts(
    report_file: Path, tmp_path: Path, fragment: str, shown: list[str]
) -> None:
    parsed, _ = dump(tmp_path, report_file.as_uri() + fragment)
    assert [name for name, hidden in parsed.rows if not hidden] == shown
    assert len(parsed.rows) == len(NAMES)


def test_csp_stops_script_that_escaped_escaping(report_file: Path, tmp_path: Path) -> None:
    """Defence in depth: markup injected into the page (had escaping failed) cannot run."""
    page = report_file.read_text(encoding="utf-8")
    evil = tmp_path / "evil.html"
    evil.write_text(
        page.replace("<main>", '<main><img src=x onerror="document.title=\'pwned\'">'
                     "<script>document.title='pwned'</script>", 1),
        encoding="utf-8",
    )  # fmt: skip
    done = run_chromium(tmp_path, "--dump-dom", evil.as_uri())
    assert "<title>Rubric coverage" in done.stdout and "pwned</title>" not in done.stdout
    assert any("Content Security Policy" in line for line in console_lines(done.stderr))


# --- driven over the DevTools protocol -----------------------------------------------------------


class DevTools:
    """Just enough of the Chrome DevTools Protocol over aiohttp's websocket client."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.last_id = 0
        self.events: list[dict[str, Any]] = []

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.last_id += 1
        my_id = self.last_id
        await self.ws.send_json({"id": my_id, "method": method, "params": params})
        while True:
            message = await asyncio.wait_for(self.ws.receive_json(), 30)
            if message.get("id") == my_id:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    async def wait_for(self, method: str) -> dict[str, Any]:
        while True:
            for event in self.events:
                if event.get("method") == method:
                    self.events.remove(event)
                    return event
            self.events.append(await asyncio.wait_for(self.ws.receive_json(), 30))

    async def js(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")


@pytest.fixture
def devtools_port(tmp_path: Path):  # type: ignore[no-untyped-def]
    profile = tmp_path / "profile-devtools"
    process = subprocess.Popen(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],  # type: ignore[list-item]
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        active = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (active.exists() and active.read_text().strip()):
            assert process.poll() is None, "chromium exited before opening its DevTools port"
            assert time.monotonic() < deadline, "chromium did not open its DevTools port in 60 s"
            time.sleep(0.1)
        yield int(active.read_text().split()[0])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


ROW_NAMES = """Array.from(document.querySelectorAll('#report tbody tr'))
  .filter(r => !r.hidden).map(r => r.querySelector('.name').textContent)"""


async def drive(port: int, url: str) -> dict[str, Any]:
    import aiohttp

    seen: dict[str, Any] = {}
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/json/list") as answer:
            targets = await answer.json()
        page = next(t for t in targets if t["type"] == "page")
        async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            tab = DevTools(ws)
            for domain in ("Runtime", "Log", "Page", "Network"):
                await tab.send(f"{domain}.enable")
            await tab.send("Page.navigate", url=url)
            await tab.wait_for("Page.loadEventFired")
            seen["ready"] = await tab.js("document.documentElement.dataset.ready")
            seen["initial"] = await tab.js(ROW_NAMES)

            click = "document.querySelector('th[data-key=\"{}\"] button').click()"
            await tab.js(click.format("name"))
            seen["name_asc"] = await tab.js(ROW_NAMES)
            seen["aria"] = await tab.js(
                "document.querySelector('th[data-key=\"name\"]').getAttribute('aria-sort')"
            )
            await tab.js(click.format("name"))
            seen["name_desc"] = await tab.js(ROW_NAMES)
            await tab.js(click.format("strengths_limitations"))
            seen["sl_asc"] = await tab.js(ROW_NAMES)

            await tab.js("document.getElementById('reset').click()")
            await tab.js(
                "var q = document.getElementById('q'); q.value = 'team-3';"
                "q.dispatchEvent(new Event('input', {bubbles: true}))"
            )
            seen["typed"] = await tab.js(ROW_NAMES)
            seen["count"] = await tab.js("document.getElementById('count').textContent")
            await tab.js("document.getElementById('reset').click()")
            await tab.js(
                "var f = document.getElementById('flag'); f.value = 'duplicate_tool';"
                "f.dispatchEvent(new Event('change', {bubbles: true}))"
            )
            seen["flagged"] = await tab.js(ROW_NAMES)
            seen["hash"] = await tab.js("location.hash")
            await tab.js("document.getElementById('reset').click()")
            seen["reset"] = await tab.js(ROW_NAMES)

            seen["evidence"] = await tab.js(
                "var d = document.querySelector('td.v details'); d.open = true;"
                "[d.querySelector('blockquote').offsetHeight > 0, d.querySelector('a').href]"
            )
            seen["images"] = await tab.js("document.images.length")
            seen["title"] = await tab.js("document.title")
            seen["events"] = list(tab.events)
    return seen


def test_devtools_sort_filter_and_no_console_errors(report_file: Path, devtools_port: int) -> None:
    seen = asyncio.run(drive(devtools_port, report_file.as_uri()))
    assert seen["ready"] == "1"
    assert seen["initial"] == NAMES
    assert seen["name_asc"] == sorted(NAMES, key=str.lower) and seen["aria"] == "ascending"
    assert seen["name_desc"] == sorted(NAMES, key=str.lower, reverse=True)
    # by confidence, lowest first (no post and not checked, not judged, then missing), ties in report order
    assert seen["sl_asc"] == [
        "Dee Quinn",
        "Gus Ito",
        "Fay Ng",
        "Cy Lam",
        "Ben Ode",
        builder.HOSTILE,
        "Ana Rivera",
    ]
    assert seen["typed"] == [builder.HOSTILE, "Fay Ng", "Gus Ito"] and seen["count"] == "3 of 7 students"
    assert seen["flagged"] == ["Ben Ode", "Cy Lam"] and "flag=duplicate_tool" in seen["hash"]
    assert seen["reset"] == NAMES
    shown, href = seen["evidence"]
    assert shown and re.match(r"https://blog\.example\.com/.+#:~:text=.+", href)
    assert seen["images"] == 0 and seen["title"] == "Rubric coverage: Test course"

    events = seen["events"]
    problems = [
        e
        for e in events
        if e["method"]
        in ("Runtime.exceptionThrown", "Runtime.consoleAPICalled", "Page.javascriptDialogOpening")
        or (e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] in ("error", "warning"))
    ]
    assert problems == []
    requests = [e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"]
    assert requests == [report_file.as_uri()], "the page must load nothing but itself"
