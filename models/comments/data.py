"""The labelled comment sets, read in place (nothing from ../shared is copied into the repository).

- `c3`: the Constructive Comments Corpus, training part (`corpus/comments/c3_train.csv`): news
  comments without their article, label `constructive_binary`.
- `blog`: real comments on technical blogs (`corpus/comments/blog/comments.jsonl`), each with its
  post file and a person's label `substantive`.
- `indomain`: the team's comments on the course's real posts (`models/comments/data/indomain.jsonl`,
  posts in `corpus/posts/`), with `kind` (short_specific, specific, generic, long_generic, copied).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from models.corpus import DEMO_POSTS, shared_root
from scrapers.article import Article
from scrapers.extract import extract_html

INDOMAIN_FILE = Path(__file__).resolve().parent / "data" / "indomain.jsonl"
C3_FILE = ("corpus", "comments", "c3_train.csv")
BLOG_DIR = ("corpus", "comments", "blog")
POSTS_DIR = ("corpus", "posts")
# Posts that are versions of one another share a group: cross-validation never splits them.
POST_GROUPS = {"D015.md": "D001.md", "D017.md": "D005.md", "D013.html": "D002.md"}


class SharedMissing(Exception):
    """../shared (or the part of it a step needs) is not there."""


@dataclass(frozen=True)
class Labelled:
    """One labelled comment."""

    id: str
    text: str
    label: bool
    source: str  # c3, blog, indomain
    post: str = ""  # path of the post file ("" = no post)
    group: str = ""  # cross-validation group: C3 article, blog, or post
    kind: str = ""  # in-domain kind


def _need(path: Path) -> Path:
    if not path.exists():
        raise SharedMissing(f"{path} is absent (../shared is needed for training and evaluation)")
    return path


def load_c3(shared: Path | None = None) -> list[Labelled]:
    path = _need((shared or shared_root()).joinpath(*C3_FILE))
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Labelled(
                id=row["id"],
                text=row["comment_text"],
                label=float(row["constructive_binary"]) >= 0.5,
                source="c3",
                group=row["article_id"],
            )
            for row in csv.DictReader(handle)
        ]


def load_blog(shared: Path | None = None) -> list[Labelled]:
    folder = _need((shared or shared_root()).joinpath(*BLOG_DIR))
    out = []
    with (folder / "comments.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                out.append(
                    Labelled(
                        id=row["id"],
                        text=row["text"],
                        label=bool(row["substantive"]),
                        source="blog",
                        post=str(folder / row["post"]),
                        group=row["blog"],
                    )
                )
    return out


def read_indomain(path: Path = INDOMAIN_FILE) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_indomain(shared: Path | None = None, path: Path = INDOMAIN_FILE) -> list[Labelled]:
    posts = _need((shared or shared_root()).joinpath(*POSTS_DIR))
    out = []
    for row in read_indomain(path):
        name = str(row["post"])
        out.append(
            Labelled(
                id=str(row["id"]),
                text=str(row["text"]),
                label=bool(row["substantive"]),
                source="indomain",
                post=str(_need(posts / name)),
                group=POST_GROUPS.get(name, name),
                kind=str(row["kind"]),
            )
        )
    return out


# --- the demo course (bundled, never used for training): a sanity check ----------------------------

# (post file prefix, comment id) -> substantive, from bot/demo/course/README.md ("Comments linked from
# claims.csv" and the unlinked generic ones; Ana's reply #comment-4 is not labelled there).
DEMO_LABELS: dict[tuple[str, str], bool] = {
    ("tkowalczyk", "comment-1"): True,
    ("jonas.becker", "comment-1"): True,
    ("priyav", "comment-1"): True,
    ("ana.rivera", "comment-1"): True,  # short but specific (ttl=2 days)
    ("tkowalczyk", "comment-2"): True,
    ("dokafor", "comment-1"): False,  # "Great post! Very informative, thanks for sharing."
    ("ana.rivera", "comment-2"): True,
    ("sofiamarquez", "comment-1"): True,
    ("dokafor", "comment-2"): False,  # long generic
    ("hlindqvist", "comment-1"): False,
    ("priyav", "comment-2"): True,
    ("kwame.mensah", "comment-1"): True,  # short but specific (in_range(0, 360))
    ("jonas.becker", "comment-2"): True,
    ("meilingchen", "comment-1"): True,
    ("kwame.mensah", "comment-2"): False,
    ("sofiamarquez", "comment-2"): True,
    ("ana.rivera", "comment-3"): False,
    ("tkowalczyk", "comment-3"): False,
    ("priyav", "comment-3"): False,
    ("jonas.becker", "comment-3"): False,
}


@dataclass(frozen=True)
class DemoComment:
    post_file: Path
    comment_id: str
    text: str
    label: bool


def demo_post_html(path: Path) -> tuple[bytes, list[tuple[str, str]]]:
    """A demo post page without its comment section, and its comments as (id, text)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_bytes(), "lxml")
    comments = []
    for div in soup.select("div.comment"):
        paragraphs = [p.get_text(" ", strip=True) for p in div.find_all("p")]
        comments.append((str(div.get("id", "")), "\n\n".join(paragraphs)))
    section = soup.select_one("#comments")
    if section is not None:
        section.decompose()
    return str(soup).encode("utf-8"), comments


def demo_article(path: Path) -> Article:
    """A demo post without its comment section, extracted as the judge sees a fetched post."""
    return extract_html(demo_post_html(path)[0], "")


def load_demo(folder: Path = DEMO_POSTS) -> list[DemoComment]:
    """The labelled comments of the bundled demo course, with their post files."""
    out = []
    for path in sorted(folder.glob("*.html")):
        handle = path.name.split("__")[0]
        for comment_id, text in demo_post_html(path)[1]:
            if (handle, comment_id) in DEMO_LABELS:
                out.append(DemoComment(path, comment_id, text, DEMO_LABELS[(handle, comment_id)]))
    return out
