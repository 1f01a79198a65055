"""The rubric check: does a post explain the problem, show a movie-streaming example, and discuss
strengths and limitations? One verdict per section with a calibrated confidence and the evidence.

    checker = RubricChecker.load()            # encoder + head, once (a few seconds)
    verdict = checker.check(article, tool="MLflow")
    verdict.to_json(source)                   # the `reviewbot check` JSON of DESIGN.md

Pipeline: `models.segment` (paragraphs with their headings) -> `models.features` (MiniLM
embeddings of the paragraph and of its section, heading keywords and prototype similarities,
cue/position/kind/length features) ->
`models.head.Head` (paragraph probabilities of problem / movie_example / strengths_limitations /
other) -> `models.aggregate` (post-level aggregates per section) -> `models.head.Calibrator`
(calibrated confidence; present when >= PRESENT_AT). Flags come from `models.flags`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models.aggregate import best_paragraph, post_aggregates
from models.encoder import Encoder, shared_encoder
from models.features import FEATURES_VERSION, post_matrices
from models.flags import PROMPT, PROMPT_SHINGLES, SHINGLE, has_placeholder, post_flags, shingles, words_of
from models.head import HEAD_FILE, Bundle, file_digest
from models.segment import Paragraph, paragraphs
from scrapers.article import Article

SECTIONS = ("problem", "movie_example", "strengths_limitations")
LABELS = (*SECTIONS, "other")
PRESENT_AT = 0.5
EVIDENCE_CHARS = 400


def _model_version(path: Path = HEAD_FILE) -> str:
    digest = file_digest(path)[:12] if path.exists() else "untrained"
    return f"rubric-{FEATURES_VERSION}-{digest}"


MODEL_VERSION: str = _model_version()


@dataclass
class SectionVerdict:
    present: bool
    confidence: float  # calibrated probability that the section is there, 0..1
    evidence: str  # the best paragraph, trimmed to ~400 characters ("" when absent)
    heading: str  # the heading the evidence sits under ("" when none)

    def to_json(self) -> dict[str, object]:
        return {
            "present": self.present,
            "confidence": self.confidence,
            "evidence": self.evidence,
            "heading": self.heading,
        }


@dataclass
class PostVerdict:
    title: str
    words: int
    sections: dict[str, SectionVerdict]  # keys: problem, movie_example, strengths_limitations
    flags: list[str] = field(default_factory=list)
    model_version: str = MODEL_VERSION

    def to_json(self, source: str) -> dict[str, object]:
        """The DESIGN.md `check` JSON (each section also carries the evidence's heading)."""
        return {
            "source": source,
            "title": self.title,
            "words": self.words,
            "sections": {name: self.sections[name].to_json() for name in SECTIONS},
            "flags": list(self.flags),
        }


def trim(text: str, limit: int = EVIDENCE_CHARS) -> str:
    """At most ~limit characters, cut at a word boundary, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + " …"


def not_judged() -> dict[str, SectionVerdict]:
    return {name: SectionVerdict(False, 0.0, "", "") for name in SECTIONS}


class RubricChecker:
    """The encoder and the trained head, loaded once; checks any number of posts."""

    def __init__(
        self, encoder: Encoder, bundle: Bundle, prompt: str = PROMPT, model_version: str = MODEL_VERSION
    ) -> None:
        self.encoder = encoder
        self.bundle = bundle
        self.prompt_shingles = shingles(words_of(prompt), SHINGLE)
        self.model_version = model_version

    @classmethod
    def load(cls, path: Path = HEAD_FILE, prompt: str = PROMPT) -> RubricChecker:
        """Load MiniLM (local files only) and the head (a few seconds). `prompt` is the assignment
        text that `copied_prompt` compares with (default: our wording of the rubric, flags.PROMPT)."""
        return cls(shared_encoder(), Bundle.load(path), prompt, _model_version(path))

    def check(self, article: Article, tool: str = "") -> PostVerdict:
        """The verdict of one post; `tool` is the claimed tool (for `tool_not_mentioned`), or ""."""
        return self.check_many([(article, tool)])[0]

    def check_many(self, items: Sequence[tuple[Article, str]], batch_size: int = 64) -> list[PostVerdict]:
        """Verdicts in input order. The paragraphs of all posts go through the encoder together, sorted
        by length, at most `batch_size` per forward pass (and at most 4,096 padded tokens)."""
        judged: list[int] = []
        units: list[list[Paragraph]] = []
        for i, (article, _) in enumerate(items):
            paras = paragraphs(article)
            units.append(paras)
            if paras and "member_only_partial" not in article.flags:
                judged.append(i)
        matrices = post_matrices(
            [(units[i], items[i][0].title) for i in judged], self.encoder.encode, batch_size=batch_size
        )
        by_post = dict(zip(judged, matrices, strict=True))
        out = []
        for i, (article, tool) in enumerate(items):
            sections = self._sections(units[i], by_post[i]) if i in by_post else not_judged()
            flags = post_flags(article, tool, judged=i in by_post, prompt_shingles=self.prompt_shingles)
            out.append(PostVerdict(article.title, article.words, sections, flags, self.model_version))
        return out

    def _sections(self, paras: Sequence[Paragraph], matrix: np.ndarray) -> dict[str, SectionVerdict]:
        probs = paragraph_probabilities(self.bundle, paras, matrix, self.prompt_shingles)
        return sections_from_probabilities(paras, probs, self.bundle)


def paragraph_probabilities(
    bundle: Bundle,
    paras: Sequence[Paragraph],
    matrix: np.ndarray,
    prompt_shingles: set[tuple[str, ...]] = PROMPT_SHINGLES,
) -> np.ndarray:
    """Label probabilities per paragraph (rows of the head), minus what is not evidence."""
    return not_evidence(paras, bundle.head.predict_proba(matrix), prompt_shingles)


def not_evidence(
    paras: Sequence[Paragraph], probs: np.ndarray, prompt_shingles: set[tuple[str, ...]] = PROMPT_SHINGLES
) -> np.ndarray:
    """A paragraph copied from the prompt, or a placeholder (TODO, lorem ipsum), counts as `other`."""
    probs = probs.copy()
    for row, para in enumerate(paras):
        mine = shingles(words_of(para.text), SHINGLE)
        copied = len(mine) >= 3 and len(mine & prompt_shingles) >= 0.5 * len(mine)
        if copied or (para.kind != "code" and has_placeholder([para.text])):
            probs[row, :3] = 0.0
            probs[row, 3] = 1.0
    return probs


def sections_from_probabilities(
    paras: Sequence[Paragraph], probs: np.ndarray, bundle: Bundle
) -> dict[str, SectionVerdict]:
    """Aggregate, calibrate and pick the evidence (shared by the checker and the evaluation)."""
    out = {}
    for name in SECTIONS:
        label = LABELS.index(name)
        aggregates = post_aggregates(probs, paras, label)
        confidence = float(bundle.calibrators[name].predict(aggregates[None, :])[0])
        confidence = round(min(max(confidence, 0.0), 1.0), 3)
        present = confidence >= PRESENT_AT
        best = best_paragraph(probs, label, paras)
        if present and best >= 0:
            out[name] = SectionVerdict(True, confidence, trim(paras[best].text), paras[best].heading)
        else:
            out[name] = SectionVerdict(False, confidence, "", "")
    return out
