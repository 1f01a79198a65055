"""Train the rubric classifier: `python -m models.train [--shared PATH] [--cache DIR] [--out FILE]`.

1. Read the real posts (`../shared/corpus/posts`, paragraph labels from
   `models/data/paragraph_labels.tsv`) and the weak corpus (`../shared/corpus/weak`, heading labels).
2. Featurise every paragraph (`models.features`; MiniLM embeddings cached under the system temp
   directory, keyed by text digest, so a second run skips the encoder).
3. Fit the paragraph head (standardised multinomial logistic regression; real paragraphs weigh
   REAL_WEIGHT, weak ones WEAK_WEIGHT, classes balanced).
4. Calibrators: cross-validate the head over the real posts (grouped K-fold by post), aggregate
   each held-out post's paragraph probabilities per section (`models.aggregate`), and fit one
   logistic calibrator per section on those out-of-fold aggregates (label yes vs no; partial left out).
5. Write `models/rubric_head.npz` (the head file; MODEL_VERSION derives from its digest).

The demo course posts are not used for training: they stay a fair sanity check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from models.aggregate import post_aggregates
from models.corpus import Doc, movie_variants, real_posts, shared_root, weak_posts
from models.encoder import DIM, CachedEncoder, shared_encoder
from models.features import FEATURES_VERSION, post_matrices
from models.head import HEAD_FILE, Bundle, Calibrator, Head
from models.rubric import LABELS, SECTIONS, not_evidence

CACHE_DIR = Path(tempfile.gettempdir()) / "reviewbot-rubric-cache"
K_FOLDS = 5


@dataclass(frozen=True)
class Params:
    c: float = 0.1  # inverse L2 strength of the paragraph head
    real_weight: float = 3.0  # weight of a paragraph labelled by the team
    weak_weight: float = 0.03  # weight of a weak-corpus paragraph (heading-derived label: noisy)
    calibrator_c: float = 0.3
    embedding_weight: float = 0.3  # < 1 shrinks the embedding columns (stronger L2 on them)
    balance: float = 1.0  # 1 = every label carries the same total weight, 0 = natural frequencies
    max_iter: int = 3000


PARAMS = Params()


def featurise(docs: Sequence[Doc], cache_dir: Path | None = CACHE_DIR) -> list[np.ndarray]:
    """Feature matrices of the documents (embeddings cached on disk when cache_dir is given)."""
    encoder = shared_encoder()
    encode = CachedEncoder(encoder, cache_dir).encode if cache_dir else encoder.encode
    return post_matrices([(d.paragraphs, d.article.title) for d in docs], encode, batch_size=64)


def load_training(shared: Path, cache_dir: Path | None = CACHE_DIR) -> tuple[list[Doc], list[np.ndarray]]:
    """Real posts, weak posts, and the movie-example variants of the real posts (see
    `models.corpus.movie_variants`), with their feature matrices."""
    real = real_posts(shared)
    docs = real + weak_posts(shared) + movie_variants(real)
    return docs, featurise(docs, cache_dir)


def folds(docs: Sequence[Doc], k: int = K_FOLDS) -> list[int]:
    """A fold per document: real posts by group, dealt round-robin after sorting by label pattern
    (so each fold sees a mix of yes/no/partial); weak posts by repository (a repository's documents
    share vocabulary and templates, so they never straddle training and test); others -1."""
    out = [-1] * len(docs)
    groups: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        if d.source == "real":
            groups.setdefault(d.group, []).append(i)
    pattern = {g: tuple(docs[m[0]].post.get(s, "") for s in SECTIONS) for g, m in groups.items()}
    for n, g in enumerate(sorted(groups, key=lambda g: (pattern[g], g))):
        for i in groups[g]:
            out[i] = n % k
    repos: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        if d.source == "weak":
            repos.setdefault(d.group, []).append(i)
    load = [0] * k
    for repo in sorted(repos, key=lambda r: (-len(repos[r]), r)):  # largest first, to the lightest fold
        fold = min(range(k), key=lambda f: (load[f], f))
        load[fold] += len(repos[repo])
        for i in repos[repo]:
            out[i] = fold
    return out


def fit_head(
    docs: Sequence[Doc], matrices: Sequence[np.ndarray], index: Sequence[int], params: Params
) -> Head:
    """The paragraph head on the labelled paragraphs of docs[index]."""
    from sklearn.linear_model import LogisticRegression

    rows, ys, ws = [], [], []
    for i in index:
        doc = docs[i]
        weight = {"real": params.real_weight, "weak": params.weak_weight}.get(doc.source, 0.0)
        if weight <= 0:
            continue
        for row, label in zip(matrices[i], doc.labels, strict=True):
            if label is not None:
                rows.append(row)
                ys.append(LABELS.index(label))
                ws.append(weight)
    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(ys)
    w = np.asarray(ws)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    scale[: 2 * DIM] /= params.embedding_weight
    # balanced classes: every label carries the same total weight
    totals = np.array([w[y == c].sum() for c in range(len(LABELS))])
    w = w * ((w.sum() / (len(LABELS) * np.maximum(totals, 1e-9))) ** params.balance)[y]
    model = LogisticRegression(C=params.c, max_iter=params.max_iter)
    model.fit((x - mean) / scale, y, sample_weight=w)
    weights, bias = model.coef_.T.copy(), model.intercept_.copy()
    return Head(mean.astype(np.float32), scale.astype(np.float32), weights, bias)


def aggregates(doc: Doc, probs: np.ndarray) -> dict[str, np.ndarray]:
    return {s: post_aggregates(probs, doc.paragraphs, LABELS.index(s)) for s in SECTIONS}


def fit_calibrators(
    samples: Sequence[tuple[dict[str, np.ndarray], dict[str, str]]], params: Params
) -> dict[str, Calibrator]:
    """One logistic calibrator per section on (aggregates, post labels); partial is left out."""
    from sklearn.linear_model import LogisticRegression

    out = {}
    for s in SECTIONS:
        x = np.array([agg[s] for agg, post in samples if post.get(s) in ("yes", "no")])
        y = np.array([post[s] == "yes" for agg, post in samples if post.get(s) in ("yes", "no")], dtype=int)
        mean = x.mean(axis=0)
        scale = x.std(axis=0)
        scale[scale < 1e-6] = 1.0
        if len(set(y)) < 2:  # degenerate fold: a constant calibrator
            out[s] = Calibrator(mean, scale, np.zeros(x.shape[1]), 4.0 if y.all() else -4.0)
            continue
        model = LogisticRegression(C=params.calibrator_c, max_iter=1000).fit((x - mean) / scale, y)
        out[s] = Calibrator(mean, scale, model.coef_[0].copy(), float(model.intercept_[0]))
    return out


def out_of_fold(
    docs: Sequence[Doc],
    matrices: Sequence[np.ndarray],
    pool: Sequence[int],
    fold_of: Sequence[int],
    params: Params,
) -> dict[int, np.ndarray]:
    """Paragraph probabilities of every real post in `pool`, each from a head that never saw its fold
    (and of every variant whose parents are all in that fold).

    Each head trains on the pool minus one fold (real and weak documents of that fold alike).
    """
    probs: dict[int, np.ndarray] = {}
    fold_of_name = {docs[i].name: fold_of[i] for i in pool if docs[i].source == "real"}
    for k in sorted({fold_of[i] for i in pool if docs[i].source == "real"}):
        train = [i for i in pool if fold_of[i] != k]
        head = fit_head(docs, matrices, train, params)
        for i in pool:
            if fold_of[i] == k and docs[i].source == "real":
                probs[i] = not_evidence(docs[i].paragraphs, head.predict_proba(matrices[i]))
        # variants whose every parent is held out in this fold
        for i, doc in enumerate(docs):
            if doc.source == "variant" and all(fold_of_name.get(n, -2) == k for n in doc.parents):
                probs[i] = not_evidence(doc.paragraphs, head.predict_proba(matrices[i]))
    return probs


def train_bundle(
    docs: Sequence[Doc], matrices: Sequence[np.ndarray], pool: Sequence[int], params: Params = PARAMS
) -> Bundle:
    """Head on the whole pool; calibrators on the pool's out-of-fold real-post aggregates."""
    pool_docs = [docs[i] for i in pool]
    inner = folds(pool_docs)
    fold_of = [-1] * len(docs)
    for i, k in zip(pool, inner, strict=True):
        fold_of[i] = k
    oof = out_of_fold(docs, matrices, pool, fold_of, params)
    calibrators = fit_calibrators([(aggregates(docs[i], p), docs[i].post) for i, p in oof.items()], params)
    head = fit_head(docs, matrices, pool, params)
    return Bundle(head, calibrators)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.train", description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=None, help="the shared data folder (../shared)")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="embedding cache folder")
    parser.add_argument("--no-cache", action="store_true", help="encode everything again")
    parser.add_argument("--out", type=Path, default=HEAD_FILE, help="where to write the head")
    args = parser.parse_args(argv)
    shared = args.shared or shared_root()
    if not (shared / "corpus" / "posts" / "labels.tsv").exists():
        print(f"models.train: {shared}/corpus is absent: nothing to train on", file=sys.stderr)
        return 2
    started = time.time()
    docs, matrices = load_training(shared, None if args.no_cache else args.cache)
    pool = list(range(len(docs)))
    bundle = train_bundle(docs, matrices, pool, PARAMS)
    bundle.meta = {
        "features_version": FEATURES_VERSION,
        "params": asdict(PARAMS),
        "trained_on": {
            "real_posts": sum(d.source == "real" for d in docs),
            "weak_posts": sum(d.source == "weak" for d in docs),
            "labelled_paragraphs": sum(label is not None for d in docs for label in d.labels),
        },
        "date": dt.date.today().isoformat(),
    }
    bundle.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
