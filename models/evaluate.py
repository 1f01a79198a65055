"""Evaluate the rubric classifier against two baselines: `python -m models.evaluate`.

Post level, on the 35 real documents of ../shared/corpus/posts, by nested cross-validation grouped
by post (K outer folds; near-duplicate documents share a fold, see `models.corpus.GROUPS`): for each
outer fold the whole training recipe of `models.train` (head + inner-CV calibrators) runs on the
other folds (real and weak documents), and the held-out posts are judged. No paragraph of a test
post is ever in training. Labels: `yes` counts as present, `no` as absent; `partial` is left out of
precision/recall/F1 and reported on its own (how often it is called present, mean confidence).

Paragraph level, on the weak corpus (../shared/corpus/weak, split by repository into the same K folds),
against the heading-derived weak labels; the real posts' paragraph labels are reported too.

Post level on the weak corpus too (held out the same way), against post labels derived from its
person-labelled headings (a section is present when one of its headings was labelled so). These
labels come from headings, which favours the heading rule where a heading says "Limitations", and
tests it where a person read "What is still missing?" as one: supplementary, not the acceptance set.

Baselines, in the same run and folds: a heading-keyword rule, and TF-IDF + logistic regression at
post level (trained on the training folds' real posts, and a variant that also sees the weak posts'
heading-derived post labels).

It prints tables; it writes nothing but the embedding cache (system temp directory) unless given
`--metrics-out FILE` (the committed `models/metrics.json` comes from
`python -m models.evaluate --metrics-out models/metrics.json`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from models.baselines import TfidfBaseline, heading_rule
from models.corpus import Doc, demo_posts, shared_root
from models.features import FEATURES_VERSION
from models.head import HEAD_FILE, file_digest
from models.rubric import LABELS, PRESENT_AT, SECTIONS, paragraph_probabilities, sections_from_probabilities
from models.train import CACHE_DIR, K_FOLDS, PARAMS, folds, load_training, train_bundle

METRICS_FILE = Path(__file__).resolve().parent / "metrics.json"
SYSTEMS = ("ours", "heading_rule", "tfidf_lr", "tfidf_lr_weak")
WEAK_SYSTEMS = ("ours", "heading_rule", "tfidf_lr_weak")  # tfidf_lr never sees a weak post


def prf(pairs: Sequence[tuple[bool, bool]]) -> dict[str, float]:
    """Precision, recall, F1 and counts from (truth, predicted) pairs."""
    tp = sum(t and p for t, p in pairs)
    fp = sum(p and not t for t, p in pairs)
    fn = sum(t and not p for t, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn, "n": len(pairs)}


def calibration(pairs: Sequence[tuple[bool, float]], bins: int = 5) -> dict[str, float]:
    """Brier score and expected calibration error of confidences."""
    if not pairs:
        return {"brier": 0.0, "ece": 0.0}
    truth = np.array([t for t, _ in pairs], dtype=float)
    conf = np.array([c for _, c in pairs], dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        inside = (conf >= lo) & ((conf < hi) if hi < 1 else (conf <= hi))
        if inside.any():
            ece += inside.mean() * abs(conf[inside].mean() - truth[inside].mean())
    return {"brier": float(np.mean((conf - truth) ** 2)), "ece": float(ece)}


def post_report(docs: Sequence[Doc], scores: dict[int, dict[str, float]]) -> dict[str, object]:
    """Per section: P/R/F1 on yes vs no, the partial posts, calibration, the mistakes."""
    out: dict[str, object] = {}
    for s in SECTIONS:
        pairs, partial, conf, mistakes = [], [], [], []
        for i, score in scores.items():
            label = docs[i].post[s]
            predicted = score[s] >= PRESENT_AT
            if label == "partial":
                partial.append((predicted, score[s]))
                continue
            pairs.append((label == "yes", predicted))
            conf.append((label == "yes", score[s]))
            if (label == "yes") != predicted:
                mistakes.append(f"{docs[i].name}:{label}:{score[s]:.2f}")
        out[s] = {
            **prf(pairs),
            "partial_n": len(partial),
            "partial_called_present": sum(p for p, _ in partial),
            "partial_mean_confidence": float(np.mean([c for _, c in partial])) if partial else 0.0,
            **calibration(conf),
            "mistakes": sorted(mistakes),
        }
    return out


def paragraph_report(docs: Sequence[Doc], probs: dict[int, np.ndarray]) -> dict[str, object]:
    """Per label P/R/F1 of the argmax label over labelled paragraphs, and the macro F1."""
    truth: list[int] = []
    guess: list[int] = []
    for i, p in probs.items():
        for row, label in zip(p, docs[i].labels, strict=True):
            if label is not None:
                truth.append(LABELS.index(label))
                guess.append(int(np.argmax(row)))
    out: dict[str, object] = {}
    for c, name in enumerate(LABELS):
        out[name] = prf([(t == c, g == c) for t, g in zip(truth, guess, strict=True)])
    out["macro_f1"] = float(np.mean([out[name]["f1"] for name in LABELS]))  # type: ignore[index]
    out["paragraphs"] = len(truth)
    return out


def demo_check(docs: Sequence[Doc]) -> list[dict[str, object]]:
    """The bundled demo course (ours, never trained on) against its README's expectations: the
    shipped head, and the baselines trained on all real posts (and weak posts for tfidf_lr_weak)."""
    from models.rubric import RubricChecker

    if not HEAD_FILE.exists():
        return []
    checker = RubricChecker.load()
    demo = demo_posts()
    verdicts = checker.check_many([(d.article, "") for d in demo])
    real = [d for d in docs if d.source == "real"]
    everything = [d for d in docs if d.source in ("real", "weak")]
    tfidf = TfidfBaseline().fit([d.article for d in real], [d.post for d in real])
    tfidf_weak = TfidfBaseline().fit([d.article for d in everything], [d.post for d in everything])
    articles = [d.article for d in demo]
    scores = {
        "ours": [{s: v.sections[s].confidence for s in SECTIONS} for v in verdicts],
        "heading_rule": [heading_rule(a) for a in articles],
        "tfidf_lr": tfidf.predict(articles),
        "tfidf_lr_weak": tfidf_weak.predict(articles),
    }
    rows = []
    for n, d in enumerate(demo):
        for s, expected in d.post.items():
            row: dict[str, object] = {"post": d.name.split("__")[0], "section": s, "expected": expected}
            for name in SYSTEMS:
                row[name] = round(scores[name][n][s], 3)
            rows.append(row)
    return rows


def demo_summary(rows: Sequence[dict[str, object]]) -> dict[str, int]:
    """Per system, how many demo expectations it meets."""
    return {
        name: sum((r["expected"] == "yes") == (float(r[name]) >= PRESENT_AT) for r in rows)  # type: ignore[arg-type]
        for name in SYSTEMS
    }


def pooled(metrics: dict[str, object], demo: Sequence[dict[str, object]]) -> dict[str, dict[str, object]]:
    """Per system and section, P/R/F1 over the real posts (cross-validated counts) and the demo
    posts (held out from training) together."""
    out: dict[str, dict[str, object]] = {}
    post = metrics["post_level"]
    for name in SYSTEMS:
        out[name] = {}
        for s in SECTIONS:
            real = post[name][s]  # type: ignore[index]
            pairs = [(True, True)] * real["tp"] + [(False, True)] * real["fp"] + [(True, False)] * real["fn"]
            pairs += [(False, False)] * (real["n"] - real["tp"] - real["fp"] - real["fn"])
            pairs += [
                (r["expected"] == "yes", float(r[name]) >= PRESENT_AT)  # type: ignore[arg-type]
                for r in demo
                if r["section"] == s
            ]
            out[name][s] = prf(pairs)
    return out


def run(
    shared: Path, cache_dir: Path | None, k: int = K_FOLDS, log: Callable[[str], object] = print
) -> tuple[dict[str, object], list[Doc]]:
    started = time.time()
    docs, matrices = load_training(shared, cache_dir)
    log(f"featurised {len(docs)} documents in {time.time() - started:.0f} s")
    fold_of = folds(docs, k)
    real = [i for i, d in enumerate(docs) if d.source == "real"]
    weak = [i for i, d in enumerate(docs) if d.source == "weak"]
    scores: dict[str, dict[int, dict[str, float]]] = {name: {} for name in SYSTEMS}
    real_probs: dict[int, np.ndarray] = {}
    weak_probs: dict[int, np.ndarray] = {}
    weak_scores: dict[str, dict[int, dict[str, float]]] = {name: {} for name in WEAK_SYSTEMS}
    for i in real:
        scores["heading_rule"][i] = heading_rule(docs[i].article)
    for i in weak:
        weak_scores["heading_rule"][i] = heading_rule(docs[i].article)
    for fold in range(k):
        pool = [i for i in real + weak if fold_of[i] != fold]
        bundle = train_bundle(docs, matrices, pool, PARAMS)
        for i in real + weak:
            if fold_of[i] != fold:
                continue
            probs = paragraph_probabilities(bundle, docs[i].paragraphs, matrices[i])
            sections = sections_from_probabilities(docs[i].paragraphs, probs, bundle)
            judged = {s: v.confidence for s, v in sections.items()}
            if docs[i].source == "weak":
                weak_probs[i] = probs
                weak_scores["ours"][i] = judged
                continue
            real_probs[i] = probs
            scores["ours"][i] = judged
        train_real = [i for i in real if fold_of[i] != fold]
        test_real = [i for i in real if fold_of[i] == fold]
        for name, train in (("tfidf_lr", train_real), ("tfidf_lr_weak", train_real + weak)):
            train = [i for i in train if fold_of[i] != fold]
            model = TfidfBaseline().fit([docs[i].article for i in train], [docs[i].post for i in train])
            for i, score in zip(test_real, model.predict([docs[i].article for i in test_real]), strict=True):
                scores[name][i] = score
            if name == "tfidf_lr_weak":
                test_weak = [i for i in weak if fold_of[i] == fold]
                predicted = model.predict([docs[i].article for i in test_weak])
                weak_scores[name].update(zip(test_weak, predicted, strict=True))
        log(f"fold {fold + 1}/{k} done at {time.time() - started:.0f} s")
    metrics = {
        "date": dt.date.today().isoformat(),
        "command": "python -m models.evaluate --metrics-out models/metrics.json",
        "head_sha256": file_digest() if HEAD_FILE.exists() else "",
        "features_version": FEATURES_VERSION,
        "params": asdict(PARAMS),
        "folds": k,
        "real_posts": len(real),
        "weak_posts": len(weak),
        "post_level": {name: post_report(docs, scores[name]) for name in SYSTEMS},
        "post_level_weak": {name: post_report(docs, weak_scores[name]) for name in WEAK_SYSTEMS},
        "paragraph_level_weak": paragraph_report(docs, weak_probs),
        "paragraph_level_real": paragraph_report(docs, real_probs),
        "seconds": round(time.time() - started, 1),
    }
    return metrics, docs


def prf_table(results: Any, systems: Sequence[str], partial: bool = False) -> list[str]:
    """Header and one row per section and system of P/R/F1 and counts (results[system][section]);
    with `partial`, how many partial posts were called present."""
    header = f"{'section':23s} {'system':14s} {'P':>5s} {'R':>5s} {'F1':>5s}  tp fp fn"
    lines = [header + ("  partial->present" if partial else "")]
    for s in SECTIONS:
        for name in systems:
            r = results[name][s]
            row = (
                f"{s:23s} {name:14s} {r['precision']:5.2f} {r['recall']:5.2f} {r['f1']:5.2f}  "
                f"{r['tp']:2d} {r['fp']:2d} {r['fn']:2d}"
            )
            lines.append(row + (f"  {r['partial_called_present']}/{r['partial_n']}" if partial else ""))
    return lines


def format_tables(metrics: dict[str, object], demo: Sequence[dict[str, object]] = ()) -> str:
    lines = []
    post = metrics["post_level"]
    lines.append(
        f"Post level, real posts ({metrics['real_posts']}), {metrics['folds']}-fold nested CV by post; "
        "yes = present, no = absent, partial reported apart"
    )
    lines.extend(prf_table(post, SYSTEMS, partial=True))
    if "post_level_weak" in metrics:
        lines.append("")
        lines.append(
            f"Post level, weak corpus ({metrics['weak_posts']}), held out by the same folds; labels from "
            "its person-labelled headings (supplementary)"
        )
        lines.extend(prf_table(metrics["post_level_weak"], WEAK_SYSTEMS))
    lines.append("")
    lines.append("Calibration of our confidences (yes/no posts): Brier, ECE (5 bins)")
    for s in SECTIONS:
        r = post["ours"][s]  # type: ignore[index]
        mistakes = ", ".join(r["mistakes"])
        lines.append(f"  {s:23s} brier {r['brier']:.3f}  ece {r['ece']:.3f}  mistakes: {mistakes}")
    for key, title in (
        ("paragraph_level_weak", "Paragraph level, weak corpus (heading labels), split by repository"),
        ("paragraph_level_real", "Paragraph level, real posts (team labels), out of fold"),
    ):
        para = metrics[key]
        lines.append("")
        lines.append(f"{title}: {para['paragraphs']} paragraphs, macro F1 {para['macro_f1']:.2f}")  # type: ignore[index]
        for name in LABELS:
            r = para[name]  # type: ignore[index]
            lines.append(f"  {name:23s} P {r['precision']:.2f}  R {r['recall']:.2f}  F1 {r['f1']:.2f}")
    if demo:
        both = pooled(metrics, demo)
        lines.append("")
        lines.append("Post level, real posts (CV) and demo posts (held out) pooled")
        lines.extend(prf_table(both, SYSTEMS))
        summary = demo_summary(demo)
        lines.append("")
        lines.append(
            f"Demo course ({len(demo)} expectations from its README; ours = the shipped head, "
            "never trained on the demo): "
            + ", ".join(f"{name} {summary[name]}/{len(demo)}" for name in SYSTEMS)
        )
        for r in demo:
            misses = [n for n in SYSTEMS if (r["expected"] == "yes") != (float(r[n]) >= PRESENT_AT)]  # type: ignore[arg-type]
            if misses:
                lines.append(
                    f"  {r['post']:14s} {r['section']:22s} expected {r['expected']:3s}: "
                    + ", ".join(f"{n} {float(r[n]):.2f}" for n in misses)  # type: ignore[arg-type]
                    + " wrong"
                )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=CACHE_DIR)
    parser.add_argument("--folds", type=int, default=K_FOLDS)
    parser.add_argument("--metrics-out", type=Path, default=None, help="write the metrics as JSON here")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo-course sanity check")
    args = parser.parse_args(argv)
    shared = args.shared or shared_root()
    if not (shared / "corpus" / "posts" / "labels.tsv").exists():
        print(f"models.evaluate: {shared}/corpus is absent: nothing to evaluate on", file=sys.stderr)
        return 2
    metrics, docs = run(shared, args.cache, args.folds, log=lambda m: print(m, file=sys.stderr))
    demo = [] if args.no_demo else demo_check(docs)
    if demo:
        metrics["demo"] = {"rows": demo, "met": demo_summary(demo), "expectations": len(demo)}
        metrics["pooled_real_cv_and_demo"] = pooled(metrics, demo)
    print(format_tables(metrics, demo))
    if args.metrics_out:
        args.metrics_out.write_text(json.dumps(metrics, indent=1, sort_keys=True) + "\n")
        print(f"wrote {args.metrics_out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
