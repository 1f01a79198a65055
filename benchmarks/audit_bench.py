"""Load benchmark: a generated course of 1,000 students, posts served from loopback, audited end to end.

Reports the wall time, the share of fetch / extract / database / assignment work, and the second,
unchanged audit as a ratio of the first (it costs one conditional request per post and no
re-reading). Run from the repository root:

    .venv/bin/python benchmarks/audit_bench.py [--students 1000] [--hosts 8]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.audit import run_audit
from bot.config import load_config
from bot.rounds import RoundService
from bot.store import Store

TOOLS = ["Feast", "MLflow", "Locust", "Prometheus", "Kafka", "Airflow", "DVC", "Evidently", "Ray", "BentoML"]
PARAGRAPH = (
    "In our movie-streaming scenario the recommender retrains every night on the latest ratings, and "
    "{tool} helps us keep the features used in training and in serving identical. "
)


def page(i: int) -> bytes:
    tool = TOOLS[i % len(TOOLS)]
    body = "".join(
        f"<h2>Section {s}</h2>"
        + "".join(f"<p>{PARAGRAPH.format(tool=tool)} Post {i}, part {s}.{p}.</p>" for p in range(4))
        for s in range(5)
    )
    return (
        f"<html><head><title>{tool} for movies, post {i}</title></head><body><article>"
        f"<h1>{tool} for movies</h1>{body}<pre><code>feast apply  # post {i}</code></pre>"
        "</article></body></html>"
    ).encode()


class Blog(BaseHTTPRequestHandler):
    """Serves /posts/<i> with an ETag and answers 304 to a matching If-None-Match."""

    requests = 0
    conditional_hits = 0

    def do_GET(self) -> None:
        Blog.requests += 1
        if not self.path.startswith("/posts/"):
            self.send_error(404)
            return
        body = page(int(self.path.rsplit("/", 1)[1]))
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            Blog.conditional_hits += 1
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument(
        "--hosts", type=int, default=8, help="loopback addresses serving posts (127.0.0.2...)"
    )
    args = parser.parse_args()
    servers = []
    for n in range(args.hosts):
        server = ThreadingHTTPServer((f"127.0.0.{n + 2}", 0), Blog)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        hosts = [f"http://127.0.0.{n + 2}:{s.server_address[1]}" for n, s in enumerate(servers)]
        (root / "roster.csv").write_text(
            "student,email,team\n"
            + "".join(f"Student {i},s{i}@x.edu,t{i // 4}\n" for i in range(args.students))
        )
        (root / "claims.csv").write_text(
            "Student,Tool,Blog post link\n"
            + "".join(
                f"Student {i},{TOOLS[i % len(TOOLS)]} {i},{hosts[i % len(hosts)]}/posts/{i}\n"
                for i in range(args.students)
            )
        )
        (root / "bot.toml").write_text(
            '[course]\nname = "Load"\ntimezone = "UTC"\npost_deadline = 2026-11-20T23:59:00\n'
            '[sources.roster]\npath = "roster.csv"\n[sources.sheet]\npath = "claims.csv"\n'
            "[fetch]\nallow_private_addresses = true\nper_host_delay = 0.0\nper_host_concurrency = 2\n"
            "respect_robots = false\n"
        )
        config = load_config(root / "bot.toml")
        with Store(config.database_path) as store:
            started = time.perf_counter()
            first = run_audit(config, store)
            first_wall = time.perf_counter() - started
            service = RoundService(store, config)
            assign_started = time.perf_counter()
            service.preview()
            service.publish()
            assign_wall = time.perf_counter() - assign_started
            requests_before = Blog.requests
            started = time.perf_counter()
            second = run_audit(config, store)
            second_wall = time.perf_counter() - started
    for server in servers:
        server.shutdown()
    failed = [o for o in first.fetched if o.status == "failed"]
    unchanged = sum(1 for o in second.fetched if o.status == "unchanged")
    work = {k: v for k, v in first.timings.items() if k.startswith("fetch.")}
    total_work = sum(work.values()) or 1.0
    print(f"course: {args.students} students, posts on {args.hosts} loopback hosts")
    print(f"first audit:  {first_wall:6.2f} s wall  ({len(first.fetched)} posts, {len(failed)} failed)")
    walls = first.timings
    print(f"  step walls: sync {walls['sync']:.2f} s, fetch {walls['fetch']:.2f} s, "
          f"check {walls.get('check', 0):.2f} s, assign update {walls['assign']:.2f} s")  # fmt: skip
    print("  share of the fetch step's work (summed over worker threads):")
    for name, seconds in sorted(work.items(), key=lambda kv: -kv[1]):
        print(f"    {name[6:]:<9} {seconds:7.2f} s  {100 * seconds / total_work:5.1f} %")
    if "check" in first.timings:
        print(f"  check step (rubric classifier, model load included): {first.timings['check']:.2f} s wall")
        print(f"  comment verification: {first.timings.get('verify', 0.0):.2f} s wall")
    print(f"assignment preview+publish for {args.students}: {assign_wall:.2f} s")
    print(f"second audit: {second_wall:6.2f} s wall  ({unchanged} unchanged, "
          f"{Blog.requests - requests_before} requests, {Blog.conditional_hits} answered 304)")  # fmt: skip
    print(f"ratio second/first: {second_wall / first_wall:.2f}")
    ok = not failed and unchanged == args.students
    print("OK" if ok else "FAILED: some posts failed or were not recognised as unchanged")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
