"""The training and evaluation documents: real posts, the weak corpus, the demo course.

Read-only, from ../shared (or $REVIEWBOT_SHARED); nothing is copied. Paragraph labels:

- real posts (`corpus/posts/`): `models/data/paragraph_labels.tsv` (file, paragraph_index, label,
  sha), written by the team by reading each post; indices follow `models.segment.paragraphs`.
- weak corpus (`corpus/weak/`): `SOURCES.tsv` maps each heading to PROBLEM / EXAMPLE_MOVIE /
  STRENGTHS_LIMITATIONS / OTHER; a paragraph inherits the label of the nearest listed heading above
  it (a deeper unlisted heading keeps its parent's label; paragraphs before the first listed heading
  stay unlabelled).
- demo course (`bot/demo/course/posts/*.html`): no paragraph labels; post-level expectations from
  its README (used as a sanity check, never for training).
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from models.rubric import SECTIONS
from models.segment import Paragraph, load_document, paragraphs
from scrapers.article import Article, Block
from scrapers.platforms.markdown import inline

POST_COLUMNS = {
    "problem": "has_problem",
    "movie_example": "has_movie_example",
    "strengths_limitations": "has_strengths_limitations",
}
WEAK_LABELS = {
    "PROBLEM": "problem",
    "EXAMPLE_MOVIE": "movie_example",
    "STRENGTHS_LIMITATIONS": "strengths_limitations",
    "OTHER": "other",
}
REPO = Path(__file__).resolve().parents[1]
LABEL_FILE = REPO / "models" / "data" / "paragraph_labels.tsv"
DEMO_POSTS = REPO / "bot" / "demo" / "course" / "posts"

# Near-duplicate documents share a group, so cross-validation never splits them across folds:
# two versions of the same post, a post and the page of the same repository, two terms of the
# same assignment text.
GROUPS = {
    "D015.md": "D001.md",
    "D017.md": "D005.md",
    "D013.html": "D002.md",
    "D030.md": "D029.md",
    "D033.md": "D032.md",
}

# Post-level expectations for the demo course (from its README): the sanity check.
DEMO_EXPECTED: dict[str, dict[str, bool]] = {
    "ana.rivera": {"problem": True, "movie_example": True, "strengths_limitations": True},
    "tkowalczyk": {"problem": True, "movie_example": True, "strengths_limitations": True},
    "sofiamarquez": {"problem": True, "movie_example": True, "strengths_limitations": True},
    "priyav": {"problem": True, "movie_example": True, "strengths_limitations": True},
    "kwame.mensah": {"problem": True, "movie_example": True, "strengths_limitations": False},
    "dokafor": {"problem": True, "movie_example": True, "strengths_limitations": True},
    "jonas.becker": {"problem": True, "movie_example": True, "strengths_limitations": True},
    "meilingchen": {"movie_example": False},
    "hlindqvist": {"movie_example": False, "strengths_limitations": False},
}


def shared_root() -> Path:
    """../shared beside the repository, or $REVIEWBOT_SHARED."""
    env = os.environ.get("REVIEWBOT_SHARED")
    return Path(env) if env else REPO.parent / "shared"


@dataclass
class Doc:
    """One document with its paragraphs and whatever labels it has."""

    name: str
    source: str  # real, weak, demo
    article: Article
    paragraphs: list[Paragraph]
    labels: list[str | None]  # per paragraph; None = unlabelled
    post: dict[str, str] = field(default_factory=dict)  # section -> yes / no / partial
    group: str = ""
    kind: str = ""  # doc_type (real) or kind (weak)
    tool: str = ""
    parents: tuple[str, ...] = ()  # variants: the real posts they are made of


def _norm(text: str) -> str:
    return re.sub(r"\W+", "", inline(text).lower())


def read_paragraph_labels(path: Path = LABEL_FILE) -> dict[str, dict[int, tuple[str, str]]]:
    """file -> paragraph index -> (label, sha)."""
    out: dict[str, dict[int, tuple[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            out.setdefault(row["file"], {})[int(row["paragraph_index"])] = (row["label"], row.get("sha", ""))
    return out


def real_posts(shared: Path | None = None, strict: bool = False) -> list[Doc]:
    """The 35 real documents with post-level labels and the team's paragraph labels."""
    root = (shared or shared_root()) / "corpus" / "posts"
    labels = read_paragraph_labels()
    docs = []
    with (root / "labels.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in sorted(rows, key=lambda r: r["file"]):
        name = row["file"]
        article = load_document(root / name)
        paras = paragraphs(article)
        mine = labels.get(name, {})
        drift = [i for i, (_, sha) in mine.items() if i >= len(paras) or (sha and paras[i].sha != sha)]
        if drift:
            message = f"{name}: paragraph labels out of date with the segmentation at {drift[:5]}"
            if strict:
                raise ValueError(message)
            print(f"warning: {message}")
        para_labels: list[str | None] = [mine[i][0] if i in mine else None for i in range(len(paras))]
        docs.append(
            Doc(
                name=name,
                source="real",
                article=article,
                paragraphs=paras,
                labels=para_labels,
                post={s: row[POST_COLUMNS[s]] for s in SECTIONS},
                group=GROUPS.get(name, name),
                kind=row["doc_type"],
                tool=row["tool"],
            )
        )
    return docs


def _heading_labels(spec: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in spec.split("; "):
        heading, sep, label = item.strip().rpartition("=")
        if not sep or label not in WEAK_LABELS:
            continue
        for part in heading.split(" / "):
            key = _norm(part)
            if key:
                out.setdefault(key, WEAK_LABELS[label])
    return out


def _match(heading: str, table: dict[str, str]) -> str | None:
    key = _norm(heading)
    if key in table:
        return table[key]
    if len(key) >= 8:
        for other, label in table.items():
            if len(other) >= 8 and (other in key or key in other):
                return label
    return None


def weak_labels(article: Article, spec: str) -> list[str | None]:
    """A label per paragraph from the heading table (see the module docstring)."""
    table = _heading_labels(spec)
    current: str | None = None
    current_level = 0
    labels: list[str | None] = []
    for block in article.blocks:
        if block.kind == "heading":
            level = block.level or 2
            found = _match(block.text, table)
            if found is not None:
                current, current_level = found, level
            elif current is None or level <= current_level:
                current, current_level = None, 0
            continue
        if block.text.strip():
            labels.append(current)
    return labels


def weak_posts(shared: Path | None = None) -> list[Doc]:
    """The 170 weak-corpus posts with heading-derived paragraph labels."""
    root = (shared or shared_root()) / "corpus" / "weak"
    with (root / "SOURCES.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    docs = []
    for row in sorted(rows, key=lambda r: r["file"]):
        article = load_document(root / row["file"])
        paras = paragraphs(article)
        labels = weak_labels(article, row["headings_with_labels"])
        assert len(labels) == len(paras), row["file"]
        post = {s: ("yes" if s in labels else "no") for s in SECTIONS}
        docs.append(
            Doc(
                name=row["file"],
                source="weak",
                article=article,
                paragraphs=paras,
                labels=labels,
                post=post,
                group=row["repo"],  # one repository's documents share a fold
                kind=row["kind"],
            )
        )
    return docs


def demo_posts(folder: Path = DEMO_POSTS) -> list[Doc]:
    """The bundled sample course's posts (ours): expectations from its README, no paragraph labels."""
    docs = []
    for path in sorted(folder.glob("*.html")):
        article = load_document(path)
        handle = path.name.split("__", 1)[0]
        expected = DEMO_EXPECTED.get(handle, {})
        paras = paragraphs(article)
        docs.append(
            Doc(
                name=path.name,
                source="demo",
                article=article,
                paragraphs=paras,
                labels=[None] * len(paras),
                post={s: ("yes" if v else "no") for s, v in expected.items()},
                group=path.name,
                kind="demo",
            )
        )
    return docs


def _blocks_without(article: Article, drop: set[int]) -> list[Block]:
    """The article's blocks minus the paragraphs (by `models.segment` index) in drop."""
    kept: list[Block] = []
    index = 0
    for block in article.blocks:
        if block.kind == "heading":
            kept.append(block)
            continue
        if not block.text.strip():
            continue
        if index not in drop:
            kept.append(block)
        index += 1
    return kept


def _blocks_of(article: Article, keep: set[int]) -> list[Block]:
    """The paragraphs (by index) in keep, each block run preceded by the heading it sat under."""
    out: list[Block] = []
    heading: Block | None = None
    emitted: Block | None = None
    index = 0
    for block in article.blocks:
        if block.kind == "heading":
            heading = block
            continue
        if not block.text.strip():
            continue
        if index in keep:
            if heading is not None and heading is not emitted:
                out.append(heading)
                emitted = heading
            out.append(block)
        index += 1
    return out


def movie_variants(docs: list[Doc]) -> list[Doc]:
    """Hard negatives for the movie_example calibrator, made from real posts (labels true by
    construction; they never train the paragraph head):

    - a post with its movie-example paragraphs removed: it still talks about movies, but shows no
      example any more;
    - a document with a generic example (code, no movie example) preceded by the problem paragraphs
      of a student post: movie words in the problem, a non-movie example ("passing mention").
    """
    out = []
    real = [d for d in docs if d.source == "real"]
    for d in real:
        drop = {i for i, label in enumerate(d.labels) if label == "movie_example"}
        if d.post.get("movie_example") == "yes" and drop:
            article = Article(source=d.name, title="", blocks=_blocks_without(d.article, drop))
            out.append(_variant(f"{d.name}-no-example", article, (d.name,)))
    generic = [
        d for d in real if d.post.get("movie_example") == "no" and any(p.kind == "code" for p in d.paragraphs)
    ]
    donors = [d for d in real if d.post.get("movie_example") == "yes" and "problem" in d.labels]
    for g in generic:
        for s in donors:
            keep = {i for i, label in enumerate(s.labels) if label == "problem"}
            blocks = _blocks_of(s.article, keep) + list(g.article.blocks)
            article = Article(source=g.name, title=g.article.title, blocks=blocks)
            out.append(_variant(f"{s.name}+{g.name}", article, (s.name, g.name)))
    return out


def _variant(name: str, article: Article, parents: tuple[str, ...]) -> Doc:
    paras = paragraphs(article)
    return Doc(
        name=name,
        source="variant",
        article=article,
        paragraphs=paras,
        labels=[None] * len(paras),
        post={"movie_example": "no"},
        group=parents[0],
        kind="variant",
        parents=parents,
    )
