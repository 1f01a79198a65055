"""Evaluate the comment judge: `python -m models.comments.evaluate [--shared PATH] [--write]`.

Prints, with the 46-word length rule as a baseline on every set:
(a) C3, 5-fold cross-validation grouped by news article (nested: stage A out-of-fold inside each
    training part), no post: accuracy overall and by length bucket, for the judge and for stage A;
(b) the real blog comments, macro-F1 overall and under 25 words: a model that never saw blog data
    (C3 + in-domain), and leave-one-blog-out (C3 + in-domain + the other blogs);
(c) the in-domain set, cross-validated by post (leave-one-post-group-out; C3 + blog + the other
    posts): macro-F1 overall and under 25 words, per kind, with the post and without it.
`--write` stores the figures in models/comments/metrics.json with the sha256 of the committed head
and its in-sample figures on the in-domain set (the regression floor of the tests).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from models.comments.data import SharedMissing, load_blog, load_c3, load_indomain, shared_root
from models.comments.head import HEAD_FILE, LENGTH_RULE, Bundle, Logistic, c3_inputs, file_digest
from models.comments.metrics import BUCKETS, accuracy, by_bucket, summary
from models.comments.pipeline import (
    CACHE_DIR,
    K_FOLDS,
    PARAMS,
    Featurised,
    Featuriser,
    Heads,
    Params,
    common_words,
    constructive_oof,
    fit_constructive,
    fit_heads,
    group_folds,
    predict,
)
from models.comments.text import Vocabulary

METRICS_FILE = Path(__file__).resolve().parent / "metrics.json"
COMMAND = "python -m models.comments.evaluate"


def _rule(data: Featurised) -> np.ndarray:
    return data.words >= LENGTH_RULE


def evaluate_c3(c3: Featurised, ind: Featurised, blog: Featurised, params: Params) -> dict[str, object]:
    folds = group_folds([r.group for r in c3.rows], K_FOLDS)
    judge = np.zeros(len(c3.rows))
    stage_a = np.zeros(len(c3.rows))
    for fold in range(K_FOLDS):
        test, train = np.flatnonzero(folds == fold), np.flatnonzero(folds != fold)
        part = c3.subset(train)
        a = fit_constructive(part, params)
        heads = fit_heads(
            a,
            part,
            constructive_oof(part, params),
            [(ind, params.weight_indomain), (blog, params.weight_blog)],
            params,
        )
        held = c3.subset(test)
        judge[test] = predict(heads, held, with_post=False)
        stage_a[test] = a.logit(c3_inputs(held.embeddings, held.words))
    y = c3.labels
    out: dict[str, object] = {"n": len(y), "folds": f"{K_FOLDS}-fold grouped by article"}
    for name, pred in (("judge", judge >= params.threshold), ("stage_a", stage_a > 0), ("rule46", _rule(c3))):
        out[name] = {"accuracy": round(accuracy(y, pred), 4), "by_length": by_bucket(c3.words, y, pred)}
    return out


def evaluate_blog(
    c3: Featurised, c3_logits: np.ndarray, a: Logistic, ind: Featurised, blog: Featurised, params: Params
) -> dict[str, object]:
    """`a` is stage A fitted on all of C3, `c3_logits` its out-of-fold logits."""
    no_blog = fit_heads(a, c3, c3_logits, [(ind, params.weight_indomain)], params)
    out: dict[str, object] = {
        "no_blog_data": summary(blog.words, blog.labels, predict(no_blog, blog) >= params.threshold),
        "no_blog_data_no_post": summary(
            blog.words, blog.labels, predict(no_blog, blog, with_post=False) >= params.threshold
        ),
    }
    names = sorted({r.group for r in blog.rows})
    lobo = np.zeros(len(blog.rows))
    per_blog = {}
    for name in names:
        test = np.array([r.group == name for r in blog.rows])
        heads = fit_heads(
            a,
            c3,
            c3_logits,
            [(ind, params.weight_indomain), (blog.subset(np.flatnonzero(~test)), params.weight_blog)],
            params,
        )
        lobo[test] = predict(heads, blog.subset(np.flatnonzero(test)))
        per_blog[name] = summary(blog.words[test], blog.labels[test], lobo[test] >= params.threshold)
    out["leave_one_blog_out"] = summary(blog.words, blog.labels, lobo >= params.threshold)
    out["leave_one_blog_out_by_blog"] = per_blog
    out["rule46"] = summary(blog.words, blog.labels, _rule(blog))
    return out


def evaluate_indomain(
    c3: Featurised, c3_logits: np.ndarray, a: Logistic, ind: Featurised, blog: Featurised, params: Params
) -> dict[str, object]:
    """`a` is stage A fitted on all of C3, `c3_logits` its out-of-fold logits."""
    groups = sorted({r.group for r in ind.rows})
    with_post = np.zeros(len(ind.rows))
    no_post = np.zeros(len(ind.rows))
    for group in groups:
        test = np.array([r.group == group for r in ind.rows])
        heads = fit_heads(
            a,
            c3,
            c3_logits,
            [(ind.subset(np.flatnonzero(~test)), params.weight_indomain), (blog, params.weight_blog)],
            params,
        )
        held = ind.subset(np.flatnonzero(test))
        with_post[test] = predict(heads, held)
        no_post[test] = predict(heads, held, with_post=False)
    no_ind = fit_heads(a, c3, c3_logits, [(blog, params.weight_blog)], params)
    y, words = ind.labels, ind.words
    kinds = sorted({r.kind for r in ind.rows})
    pred = with_post >= params.threshold
    per_kind = {
        k: {
            "n": int(sum(r.kind == k for r in ind.rows)),
            "accuracy": round(accuracy(*(arr[[r.kind == k for r in ind.rows]] for arr in (y, pred))), 4),
        }
        for k in kinds
    }
    return {
        "cross_validated_by_post": summary(words, y, pred),
        "cross_validated_by_post_no_post": summary(words, y, no_post >= params.threshold),
        "by_kind": per_kind,
        "no_indomain_data": summary(words, y, predict(no_ind, ind) >= params.threshold),
        "rule46": summary(words, y, _rule(ind)),
        "groups": len(groups),
    }


def committed_head(ind: Featurised, blog: Featurised, path: Path = HEAD_FILE) -> dict[str, object] | None:
    """In-sample figures of the committed head (trained on these sets): the regression anchor."""
    if not path.exists():
        return None
    bundle = Bundle.load(path)
    heads = Heads(bundle.constructive, bundle.with_post, bundle.no_post)
    out: dict[str, object] = {"sha256": file_digest(path)}
    for name, data in (("indomain", ind), ("blog", blog)):
        scores = predict(heads, data)
        out[name] = summary(data.words, data.labels, scores >= bundle.threshold)
        if name == "indomain":
            out["indomain_scores"] = {
                r.id: round(float(v), 4) for r, v in zip(data.rows, scores, strict=True)
            }
    return out


def evaluate_demo(path: Path = HEAD_FILE) -> dict[str, object] | None:
    """The committed judge end to end on the bundled demo course (never used for training)."""
    if not path.exists():
        return None
    from models.comments.data import demo_article, load_demo
    from models.comments.judge import CommentJudge

    judge = CommentJudge.load(path)
    comments = load_demo()
    posts = {file: demo_article(file) for file in dict.fromkeys(c.post_file for c in comments)}
    verdicts = judge.judge_many([(c.text, posts[c.post_file]) for c in comments])
    y = np.array([c.label for c in comments])
    pred = np.array([v.substantive for v in verdicts])
    words = np.array([len(c.text.split()) for c in comments])
    wrong = [
        f"{c.post_file.name.split('__')[0]}#{c.comment_id}"
        for c, p in zip(comments, pred, strict=True)
        if p != c.label
    ]
    return {**summary(words, y, pred), "rule46": summary(words, y, words >= LENGTH_RULE), "wrong": wrong}


def featurise_all(
    shared: Path, cache_dir: Path | None = CACHE_DIR, common: list[str] | None = None
) -> tuple[Featurised, Featurised, Featurised, Vocabulary]:
    """C3, blog and in-domain sets, featurised (embeddings cached), and the vocabulary used."""
    c3_rows, blog_rows, ind_rows = load_c3(shared), load_blog(shared), load_indomain(shared)
    vocab = Vocabulary(frozenset(common if common is not None else common_words([r.text for r in c3_rows])))
    featuriser = Featuriser(vocab, cache_dir)
    return (
        featuriser.featurise(c3_rows),
        featuriser.featurise(blog_rows),
        featuriser.featurise(ind_rows),
        vocab,
    )


def run(shared: Path, params: Params = PARAMS, cache_dir: Path | None = CACHE_DIR) -> dict[str, object]:
    started = time.time()
    common = Bundle.load(HEAD_FILE).common_words if HEAD_FILE.exists() else None
    c3, blog, ind, _ = featurise_all(shared, cache_dir, common)
    c3_logits = constructive_oof(c3, params)
    stage_a = fit_constructive(c3, params)
    results: dict[str, object] = {
        "command": COMMAND,
        "date": dt.date.today().isoformat(),
        "params": params.__dict__,
        "c3": evaluate_c3(c3, ind, blog, params),
        "blog": evaluate_blog(c3, c3_logits, stage_a, ind, blog, params),
        "indomain": evaluate_indomain(c3, c3_logits, stage_a, ind, blog, params),
        "committed_head": committed_head(ind, blog),
        "demo": evaluate_demo(),
    }
    results["seconds"] = round(time.time() - started, 1)
    return results


def _fmt(value: object) -> str:
    return "  -  " if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def report(results: dict[str, object]) -> str:
    lines = [f"comment judge evaluation ({results['date']}, {results['seconds']} s)", ""]
    c3 = results["c3"]
    assert isinstance(c3, dict)
    lines.append(f"(a) C3, {c3['folds']}, no post: accuracy (n={c3['n']})")
    lines.append(f"    {'model':24s} {'all':>6s} " + " ".join(f"{b[0]:>7s}" for b in BUCKETS))
    for name, label in (
        ("judge", "judge (no-post mode)"),
        ("stage_a", "stage A (C3 head)"),
        ("rule46", "rule: >= 46 words"),
    ):
        row = c3[name]
        cells = " ".join(f"{_fmt(row['by_length'][b[0]]['value']):>7s}" for b in BUCKETS)
        lines.append(f"    {label:24s} {row['accuracy']:6.3f} {cells}")
    counts = " ".join(f"{b[0]}={c3['judge']['by_length'][b[0]]['n']}" for b in BUCKETS)
    lines.append(f"    bucket sizes: {counts}")

    def table(title: str, rows: list[tuple[str, dict[str, Any]]]) -> None:
        lines.extend(
            [
                "",
                title,
                f"    {'model':44s} {'n':>4s} {'macro-F1':>8s} {'acc':>6s} {'n<25':>5s} {'F1<25':>6s}",
            ]
        )
        for label, s in rows:
            lines.append(
                f"    {label:44s} {s['n']:4d} {s['macro_f1']:8.3f} {s['accuracy']:6.3f} {s['n_short']:5d}"
                f" {_fmt(s['macro_f1_short']):>6s}"
            )

    blog = results["blog"]
    assert isinstance(blog, dict)
    table(
        "(b) real blog comments (6 blogs), with their post (per-blog rows: a 4-5 comment blog's F1 is noise)",
        [
            ("trained without blog data (C3 + in-domain)", blog["no_blog_data"]),
            ("  same, without the post", blog["no_blog_data_no_post"]),
            ("leave-one-blog-out (C3 + in-domain + 5 blogs)", blog["leave_one_blog_out"]),
            ("rule: >= 46 words", blog["rule46"]),
        ]
        + [(f"  LOBO {name.split('/')[0]}", s) for name, s in blog["leave_one_blog_out_by_blog"].items()],
    )
    ind = results["indomain"]
    assert isinstance(ind, dict)
    table(
        f"(c) in-domain set, cross-validated by post ({ind['groups']} post groups)",
        [
            ("judge, with the post", ind["cross_validated_by_post"]),
            ("judge, without the post", ind["cross_validated_by_post_no_post"]),
            ("trained without in-domain data (C3 + blog)", ind["no_indomain_data"]),
            ("rule: >= 46 words", ind["rule46"]),
        ],
    )
    lines.append(
        "    accuracy by kind (with the post): "
        + ", ".join(f"{k} {v['accuracy']:.3f} (n={v['n']})" for k, v in ind["by_kind"].items())
    )
    demo = results.get("demo")
    if isinstance(demo, dict):
        table(
            "(d) demo course (bot/demo/course, never trained on): the committed judge end to end",
            [("committed judge, with the post", demo), ("rule: >= 46 words", demo["rule46"])],
        )
        lines.append(f"    wrong: {', '.join(demo['wrong']) or 'none'}")
    head = results.get("committed_head")
    if isinstance(head, dict):
        lines.append("")
        lines.append(f"committed head {head['sha256'][:12]} in-sample (fitted on these sets):")
        for name in ("indomain", "blog"):
            s = head[name]
            lines.append(
                f"    {name:10s} macro-F1 {s['macro_f1']:.3f}, under 25 words {_fmt(s['macro_f1_short'])}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=None, help="the shared data folder (default ../shared)"
    )
    parser.add_argument("--write", action="store_true", help=f"write {METRICS_FILE.name}")
    parser.add_argument("--no-cache", action="store_true", help="do not cache embeddings on disk")
    args = parser.parse_args(argv)
    try:
        results = run(args.shared or shared_root(), cache_dir=None if args.no_cache else CACHE_DIR)
    except SharedMissing as exc:
        print(f"skipped: {exc}")
        return 0
    print(report(results))
    if args.write:
        METRICS_FILE.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"\nwrote {METRICS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
