"""Throughput of the comment judge with the post already encoded, against the raw encoder.

Run from the repository root: `python benchmarks/judge_bench.py [--comments N] [--repeats R] [--bf16]`.
Comments: the team's in-domain set (models/comments/data/indomain.jsonl) and the demo course's,
cycled to N; post: the demo course's Locust post (comment section removed), encoded once. Prints the
best of R runs of `judge_encoded` and of the bare MiniLM encoder on the same texts, and their ratio.
Exits 1 when the judge is under TARGET comments per second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.comments import CommentJudge
from models.comments.data import DEMO_POSTS, demo_article, load_demo, read_indomain
from models.encoder import Encoder

TARGET = 100.0  # comments per second, post encoded, 2 CPU cores
POST = "tkowalczyk__load-testing-our-recommender-with-locust-57b72b2c6be5.html"


def texts(n: int) -> list[str]:
    pool = [str(r["text"]) for r in read_indomain()] + [c.text for c in load_demo()]
    return [pool[i % len(pool)] for i in range(n)]


def best_rate(run: Callable[[], object], count: int, repeats: int) -> tuple[float, list[float]]:
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        rates.append(count / (time.perf_counter() - started))
    return max(rates), rates


def _runs(rates: list[float]) -> str:
    return ", ".join(f"{r:.0f}" for r in rates)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=600)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--bf16", action="store_true", help="run the encoder in bfloat16 (CPUs with AMX/AVX512-BF16)"
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    encoder = Encoder(precision="bf16" if args.bf16 else "fp32")
    judge = CommentJudge.load(encoder=encoder)
    load_s = time.perf_counter() - started
    post = demo_article(DEMO_POSTS / POST)
    started = time.perf_counter()
    encoded = judge.encode_post(post)
    post_s = time.perf_counter() - started
    batch = texts(args.comments)
    words = statistics.mean(len(t.split()) for t in batch)
    judge.judge_encoded(batch[:64], encoded)  # warm-up

    judge_rate, judge_runs = best_rate(lambda: judge.judge_encoded(batch, encoded), len(batch), args.repeats)
    encoder_rate, encoder_runs = best_rate(
        lambda: encoder.encode(batch, batch_size=64), len(batch), args.repeats
    )
    verdicts = judge.judge_encoded(batch, encoded)

    threads = encoder._torch.get_num_threads()
    substantive = sum(v.substantive for v in verdicts)
    ratio = judge_rate / encoder_rate
    print(f"judge {judge.MODEL_VERSION}, encoder {encoder.precision}, {threads} threads")
    print(f"load {load_s:.1f} s; post encoded once: {len(encoded.units)} paragraphs in {post_s:.2f} s")
    print(f"{len(batch)} comments, mean {words:.0f} words, {substantive} judged substantive")
    print(f"judge_encoded : {judge_rate:7.1f} comments/s  (runs: {_runs(judge_runs)})")
    print(f"encoder alone : {encoder_rate:7.1f} texts/s     (runs: {_runs(encoder_runs)})")
    print(f"ratio judge/encoder: {ratio:.2f} (features + head take {100 * (1 - ratio):.0f}% of the time)")
    if judge_rate < TARGET:
        print(f"FAIL: under {TARGET:.0f} comments/s")
        return 1
    print(f"ok: >= {TARGET:.0f} comments/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
