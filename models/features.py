"""Features of a paragraph beyond its own embedding: heading, cue phrases, position, kind, length.

The vector of a paragraph is [embedding of its text (384) | mean embedding of the paragraphs under
the same heading path, normalised (384) | the hand-made features | similarity of its heading and of
its text to prototype phrases of each label (8)].

The hand-made part is what the encoder misses: which heading the paragraph sits under (keyword
groups of the heading), cue phrases counted in the paragraph and looked for in its headings,
relative position, block kind, length, neighbouring code, and how much of the post and of the
section talks about movies. The heading enters through keywords and prototype similarities rather
than as a raw 384-d embedding: with a few dozen labelled posts a raw heading embedding overfitted
(tried: cross-validation and the demo course both got worse).

Changing anything here changes FEATURES_VERSION (and so MODEL_VERSION): retrain.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

import numpy as np

from models.encoder import DIM
from models.segment import Paragraph, by_path

FEATURES_VERSION = "f9"

BLOCK_KINDS = ("paragraph", "list_item", "code", "quote", "table")


def _rx(*words: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(words) + r")", re.IGNORECASE)


# Cue phrases: counted in the paragraph text and in its heading path.
CUES: dict[str, re.Pattern[str]] = {
    "problem": _rx(
        r"problems?\b",
        r"challeng",
        r"issues?\b",
        r"pain ?points?",
        r"difficult",
        r"struggl",
        r"motivation",
        r"why\b",
        r"need(?:s|ed)? (?:to|for|a)\b",
        r"without\b",
        r"hard to",
        r"error-prone",
        r"bottleneck",
        r"suffer",
        r"fail(?:s|ed|ure)?\b",
        r"addresses",
        r"solv",
        r"tackl",
    ),
    "limitation": _rx(
        r"limitations?",
        r"limited\b",
        r"drawbacks?",
        r"downsides?",
        r"disadvantages?",
        r"weakness",
        r"shortcoming",
        r"cons\b",
        r"caveats?",
        r"however\b",
        r"but\b",
        r"although\b",
        r"not (?:a|as|very|great|good|ideal|suitable|designed|support)",
        r"does ?n[o']t",
        r"cannot\b",
        r"can't\b",
        r"lacks?\b",
        r"learning curve",
        r"overhead",
        r"complex",
        r"steep",
        r"fine print",
        r"trade-?offs?",
        r"on the other hand",
    ),
    "strength": _rx(
        r"strengths?",
        r"advantages?",
        r"benefits?",
        r"pros\b",
        r"easy\b",
        r"easily",
        r"simple\b",
        r"efficien",
        r"flexib",
        r"scalab",
        r"powerful",
        r"robust",
        r"reliab",
        r"seamless",
        r"strong",
        r"brag",
        r"like about",
        r"what works",
    ),
    "verdict": _rx(
        r"verdict", r"conclusion", r"final thoughts", r"takeaways?", r"summary", r"wrap", r"lessons"
    ),
    "movie": _rx(
        r"movies?",
        r"films?\b",
        r"netflix",
        r"streaming",
        r"ratings?\b",
        r"rated\b",
        r"user_?ids?",
        r"movie_?ids?",
        r"watch(?:ed|es|ing)?\b",
        r"watch[ -]?history",
        r"viewers?",
        r"viewing",
        r"recommend",
        r"imdb",
        r"movielens",
        r"tmdb",
        r"genres?",
        r"kafka",
        r"catalog",
        r"episodes?",
        r"binge",
        r"stars?\b",
    ),
    "example": _rx(
        r"example",
        r"in action",
        r"hands-on",
        r"tutorial",
        r"demo",
        r"walkthrough",
        r"scenario",
        r"use case",
        r"case study",
        r"experiment",
        r"results?\b",
        r"we (?:used|ran|built|trained|applied)",
        r"i (?:used|ran|built|trained|applied|tried|wrote)",
        r"our (?:team|data|model|service|recommender|pipeline|system)",
        r"my (?:team|data|model|laptop|setup)",
    ),
    "data": _rx(
        r"csv\b",
        r"parquet",
        r"dataframe",
        r"dataset",
        r"schema",
        r"columns?\b",
        r"rows?\b",
        r"logs?\b",
        r"events?\b",
        r"topic",
        r"json",
        r"table",
    ),
    "instruction": _rx(
        r"you (?:must|should|will|may|can|need)",
        r"your (?:blog|post|submission|pdf|tool)",
        r"points?\b",
        r"deadline",
        r"submit",
        r"gradescope",
        r"canvas",
        r"spreadsheet",
        r"assignment",
        r"grading",
        r"students?\b",
        r"semester",
        r"claim",
    ),
    "install": _rx(
        r"install", r"pip\b", r"clone", r"setup", r"set up", r"getting started", r"prerequisite", r"license"
    ),
    "first_person": _rx(r"i\b", r"we\b", r"our\b", r"my\b"),
    "numbers": re.compile(r"\d+(?:[.,]\d+)?\s?(?:%|ms\b|s\b|seconds|minutes|mb\b|gb\b|x\b)", re.IGNORECASE),
}
CUE_NAMES = tuple(CUES)

HEADING_ONLY: dict[str, re.Pattern[str]] = {
    "h_problem": _rx(
        r"problem", r"challenge", r"why\b", r"motivation", r"background", r"pain", r"lost sleep", r"issue"
    ),
    # strengths and limitations are one feature: "Strengths", "Limitations", "Pros and cons" and
    # "Strengths and limitations > Strengths" must look alike to a linear head
    "h_sl": _rx(
        r"strengths?",
        r"pros\b",
        r"advantages?",
        r"benefits?",
        r"brag",
        r"shines",
        r"limitations?",
        r"cons\b",
        r"drawbacks?",
        r"disadvantages?",
        r"weakness",
        r"fine print",
        r"caveats?",
        r"downsides?",
        r"trade-?offs?",
        r"not to\b",
        r"missing",
        r"good\b",
        r"bad\b",
    ),
    "h_example": _rx(
        r"example", r"in action", r"hands-on", r"demo", r"tutorial", r"walkthrough", r"scenario", r"case"
    ),
    "h_results": _rx(r"results?", r"numbers", r"what it caught", r"benchmark", r"evaluation", r"findings"),
    "h_how": _rx(r"how\b", r"helps?", r"what is", r"overview", r"introduc", r"meet\b", r"solution"),
    "h_end": _rx(
        r"conclusion",
        r"verdict",
        r"final",
        r"summary",
        r"wrap",
        r"references?",
        r"further",
        r"learn more",
        r"resources",
        r"thoughts",
        r"again\?",
    ),
    "h_setup": _rx(r"install", r"setup", r"set up", r"getting started", r"usage", r"requirements", r"run\b"),
    "h_admin": _rx(r"grading", r"deliverable", r"tasks?\b", r"submission", r"deadline", r"learning goals"),
}
HEADING_NAMES = tuple(HEADING_ONLY)
# cues also looked for in the heading path (strength/limitation words are left to h_sl)
HEADING_CUES = ("problem", "movie", "example", "data", "instruction", "install")

MAX_COUNT = 8


def cue_counts(text: str) -> list[int]:
    return [min(len(p.findall(text)), MAX_COUNT) for p in CUES.values()]


def _words(text: str) -> int:
    return len(text.split())


def heading_text(paragraph: Paragraph) -> str:
    """What the heading embedding sees: the enclosing headings, innermost last."""
    return " > ".join(paragraph.path)


def context_features(paragraphs: Sequence[Paragraph], title: str = "") -> np.ndarray:
    """The hand-made features of every paragraph of one post (rows aligned with `paragraphs`)."""
    n = len(paragraphs)
    counts = [cue_counts(p.text) for p in paragraphs]
    movie_i = CUE_NAMES.index("movie")
    has_movie = np.array([1.0 if c[movie_i] > 0 else 0.0 for c in counts])
    post_movie = float(has_movie.mean()) if n else 0.0
    title_movie = 1.0 if CUES["movie"].search(title or "") else 0.0
    # Per section (paragraphs under the same heading path): movie share, code present.
    sections = by_path(paragraphs)
    rows = []
    for i, p in enumerate(paragraphs):
        members = sections[p.path]
        section_movie = float(np.mean([has_movie[j] for j in members]))
        section_code = 1.0 if any(paragraphs[j].kind == "code" for j in members) else 0.0
        prev_kind = paragraphs[i - 1].kind if i > 0 else ""
        next_kind = paragraphs[i + 1].kind if i + 1 < n else ""
        words = _words(p.text)
        heading = heading_text(p)
        row: list[float] = []
        row += [math.log1p(c) for c in counts[i]]
        row += [1.0 if CUES[c].search(heading) else 0.0 for c in HEADING_CUES]
        row += [1.0 if rx.search(p.heading) else 0.0 for rx in HEADING_ONLY.values()]
        row += [1.0 if p.kind == k else 0.0 for k in BLOCK_KINDS]
        row += [
            p.position,
            p.position**2,
            1.0 if p.position < 0.1 else 0.0,
            1.0 if p.position > 0.85 else 0.0,
            math.log1p(words),
            1.0 if words < 8 else 0.0,
            1.0 if not p.path else 0.0,
            float(len(p.path)),
            1.0 if prev_kind == "code" or next_kind == "code" else 0.0,
            section_code,
            section_movie,
            post_movie,
            title_movie,
            math.log1p(n),
            1.0 if "?" in p.text else 0.0,
            1.0 if re.search(r"`|\(\)|_\w|\w\.\w+\(", p.text) else 0.0,
        ]
        rows.append(row)
    if not rows:
        return np.zeros((0, N_HAND), dtype=np.float32)
    return np.asarray(rows, dtype=np.float32)


N_HAND = len(CUE_NAMES) + len(HEADING_CUES) + len(HEADING_NAMES) + len(BLOCK_KINDS) + 16
HAND_NAMES = (
    [f"cue_{c}" for c in CUE_NAMES]
    + [f"hcue_{c}" for c in HEADING_CUES]
    + list(HEADING_NAMES)
    + [f"kind_{k}" for k in BLOCK_KINDS]
    + [
        "position",
        "position2",
        "early",
        "late",
        "log_words",
        "short",
        "no_heading",
        "depth",
        "next_to_code",
        "section_code",
        "section_movie",
        "post_movie",
        "title_movie",
        "log_paragraphs",
        "question",
        "code_tokens",
    ]
)
assert len(HAND_NAMES) == N_HAND

# Prototype phrases (our own words): the similarity of a heading or a paragraph to them carries
# the meaning of a label to headings and sentences the labelled data never showed.
HEADING_PROTOTYPES: dict[str, tuple[str, ...]] = {
    "problem": (
        "The problem",
        "What problem does the tool solve?",
        "Why do we need this?",
        "Motivation",
        "The challenge",
        "What went wrong before",
    ),
    "movie_example": (
        "Example: applying the tool to our movie recommendation service",
        "Hands-on with movie ratings data",
        "The tool in action on the movie streaming scenario",
        "Results of the experiment",
    ),
    "strengths_limitations": (
        "Strengths and limitations",
        "Limitations",
        "Strengths",
        "Pros and cons",
        "Drawbacks and caveats",
        "What I liked and what I did not",
    ),
    "other": (
        "Installation",
        "Conclusion",
        "References",
        "What is this tool?",
        "Getting started",
        "Overview",
    ),
}
TEXT_PROTOTYPES: dict[str, tuple[str, ...]] = {
    "problem": (
        "The problem is that without this tool, data and models get hard to manage and errors go unnoticed.",
        "This tool addresses a key challenge that teams face in production machine learning.",
    ),
    "movie_example": (
        "We applied the tool to our movie recommendation service using user ratings and watch history.",
        "Here is the code that runs on the movie streaming data from Kafka.",
    ),
    "strengths_limitations": (
        "One limitation of the tool is that it is hard to set up and does not scale well.",
        "A major strength of the tool is that it is easy to use and integrates well.",
    ),
    "other": ("To install the package, run pip install.", "In conclusion, this was an interesting tool."),
}
HEADING_PROTOTYPE_TEXTS = tuple(t for group in HEADING_PROTOTYPES.values() for t in group)
TEXT_PROTOTYPE_TEXTS = tuple(t for group in TEXT_PROTOTYPES.values() for t in group)
PROTOTYPE_TEXTS = tuple(dict.fromkeys(HEADING_PROTOTYPE_TEXTS + TEXT_PROTOTYPE_TEXTS))
N_PROTOTYPE = len(HEADING_PROTOTYPES) + len(TEXT_PROTOTYPES)
N_FEATURES = 2 * DIM + N_HAND + N_PROTOTYPE


def post_matrices(
    posts: Sequence[tuple[Sequence[Paragraph], str]],
    encode: Callable[[Sequence[str], int], np.ndarray],
    batch_size: int = 64,
) -> list[np.ndarray]:
    """The feature matrix of each post: one encoder pass over all paragraphs and distinct headings.

    `posts` holds (paragraphs, title) pairs; `encode(texts, batch_size)` maps texts to normalised
    embeddings. The paragraphs of all posts go through the encoder in one call (sorted by length
    there, at most `batch_size` texts per forward pass).
    """
    texts: list[str] = []
    headings: dict[str, int] = {}
    for paras, _ in posts:
        for p in paras:
            texts.append(p.text)
            headings.setdefault(p.heading, len(headings))
    heading_list = [h for h in headings if h]
    unique = list(dict.fromkeys(texts))
    seen = set(unique)
    everything = unique + [h for h in heading_list if h not in seen] + list(PROTOTYPE_TEXTS)
    table = encode(everything, batch_size)
    row_of = {t: i for i, t in enumerate(everything)}
    zero = np.zeros(DIM, dtype=np.float32)
    heading_protos = np.stack([table[row_of[t]] for t in HEADING_PROTOTYPE_TEXTS])
    text_protos = np.stack([table[row_of[t]] for t in TEXT_PROTOTYPE_TEXTS])
    out = []
    for paras, title in posts:
        if not paras:
            out.append(np.zeros((0, N_FEATURES), dtype=np.float32))
            continue
        text_emb = np.stack([table[row_of[p.text]] for p in paras])
        inner_emb = np.stack([table[row_of[p.heading]] if p.heading else zero for p in paras])
        parts = [
            text_emb,
            section_means(paras, text_emb),
            context_features(paras, title),
            prototype_similarities(inner_emb, heading_protos, HEADING_PROTOTYPES),
            prototype_similarities(text_emb, text_protos, TEXT_PROTOTYPES),
        ]
        out.append(np.hstack(parts).astype(np.float32))
    return out


def prototype_similarities(
    emb: np.ndarray, protos: np.ndarray, groups: dict[str, tuple[str, ...]]
) -> np.ndarray:
    """Per label group, the best cosine similarity to its prototype phrases (0 for an empty text)."""
    sims = emb @ protos.T
    out = []
    start = 0
    for phrases in groups.values():
        out.append(sims[:, start : start + len(phrases)].max(axis=1))
        start += len(phrases)
    return np.stack(out, axis=1)


def section_means(paras: Sequence[Paragraph], text_emb: np.ndarray) -> np.ndarray:
    """Per paragraph, the normalised mean embedding of all paragraphs under its heading path."""
    out = np.zeros_like(text_emb)
    for members in by_path(paras).values():
        mean = text_emb[members].mean(axis=0)
        out[members] = mean / max(float(np.linalg.norm(mean)), 1e-9)
    return out
