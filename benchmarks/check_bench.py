"""Speed and memory of the rubric check on 100 posts, against the bare MiniLM encoder.

Run from the repository root: `python benchmarks/check_bench.py [--posts N]`. The posts are the
real documents of ../shared/corpus/posts (when present) and the demo course's posts, repeated
until there are N; every repeat gets its paragraphs suffixed with the copy number, so no text is
shared with an earlier copy (the checker de-duplicates texts and would otherwise be flattered).

Measured in one process: model load, `RubricChecker.check_many` over all posts (total time and
paragraphs per second), the peak RSS (getrusage), and the bare encoder (`Encoder.encode` on the
same paragraph texts, no headings, features, head or flags) as the reference speed. Prints a table
and exits 1 when a target fails.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.corpus import DEMO_POSTS, shared_root
from models.segment import load_document, paragraphs
from scrapers.article import Article, Block

POSTS = 100
TARGET_TOTAL_S = 60.0
TARGET_PARAGRAPHS_PER_S = 50.0
TARGET_PEAK_RSS_GB = 1.5


def base_articles() -> list[Article]:
    """Real corpus documents (if ../shared is there) and the demo course's posts."""
    found = []
    corpus = shared_root() / "corpus" / "posts"
    if corpus.is_dir():
        found += sorted(p for p in corpus.iterdir() if p.suffix in (".md", ".html"))
    found += sorted(DEMO_POSTS.glob("*.html"))
    return [load_document(p) for p in found]


def copies(articles: list[Article], n: int) -> list[Article]:
    """n posts: the articles, then repeats whose paragraphs carry the copy number."""
    out: list[Article] = []
    copy = 0
    while len(out) < n:
        for article in articles:
            if len(out) == n:
                break
            if copy == 0:
                out.append(article)
                continue
            blocks = [
                b if b.kind == "heading" else Block(b.kind, f"{b.text} [{copy}]", b.level)
                for b in article.blocks
            ]
            out.append(replace(article, blocks=blocks, flags=list(article.flags)))
        copy += 1
    return out


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=POSTS)
    args = parser.parse_args(argv)
    articles = copies(base_articles(), args.posts)
    texts = [p.text for a in articles for p in paragraphs(a)]
    n_paragraphs = len(texts)

    started = time.perf_counter()
    from models.rubric import MODEL_VERSION, RubricChecker

    checker = RubricChecker.load()
    loaded = time.perf_counter()
    cpu_started = time.process_time()
    verdicts = checker.check_many([(a, "") for a in articles])
    checked = time.perf_counter()
    check_cpu = time.process_time() - cpu_started
    rss_after_check = peak_rss_gb()

    encoder_started = time.perf_counter()
    cpu_started = time.process_time()
    checker.encoder.encode(texts, 64)
    encoder_seconds = time.perf_counter() - encoder_started
    encoder_cpu = time.process_time() - cpu_started

    load_s = loaded - started
    check_s = checked - loaded
    total_s = checked - started
    ours = n_paragraphs / check_s
    raw = len(texts) / encoder_seconds
    rows = [
        ("posts", f"{len(verdicts)}", ""),
        ("paragraphs", f"{n_paragraphs}", ""),
        ("model load", f"{load_s:.1f} s", ""),
        ("check_many", f"{check_s:.1f} s", ""),
        ("total (load + check)", f"{total_s:.1f} s", f"<= {TARGET_TOTAL_S:.0f} s"),
        (
            "classification speed",
            f"{ours:.0f} paragraphs/s",
            f">= {TARGET_PARAGRAPHS_PER_S:.0f} paragraphs/s",
        ),
        ("bare encoder speed", f"{raw:.0f} paragraphs/s", "reference"),
        ("ratio ours / encoder", f"{ours / raw:.2f}", ""),
        (
            "CPU time check / encoder",
            f"{check_cpu:.0f} s / {encoder_cpu:.0f} s",
            "2 threads: wall >= CPU / 2",
        ),
        ("peak RSS", f"{rss_after_check:.2f} GB", f"<= {TARGET_PEAK_RSS_GB} GB"),
    ]
    print(
        f"rubric check benchmark ({MODEL_VERSION}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} at the end: other processes slow every figure)"
    )
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"  {name:{width}s}  {value:>22s}  {target}")
    failures = []
    if total_s > TARGET_TOTAL_S:
        failures.append(f"total {total_s:.1f} s > {TARGET_TOTAL_S} s")
    if ours < TARGET_PARAGRAPHS_PER_S:
        failures.append(f"{ours:.0f} paragraphs/s < {TARGET_PARAGRAPHS_PER_S}")
    if rss_after_check > TARGET_PEAK_RSS_GB:
        failures.append(f"peak RSS {rss_after_check:.2f} GB > {TARGET_PEAK_RSS_GB} GB")
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
