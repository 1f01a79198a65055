"""From paragraph probabilities to post-level evidence for each section.

For a section s and the probabilities p_i of its label over the post's paragraphs, the aggregates
are: the best paragraph (logit of max p), the mean of the top three, the soft count (log1p of the
sum), and the strongest heading block (paragraphs under the same heading path): its mean p and
the log1p of its sum. A real section is usually several paragraphs under one heading; a stray
sentence is one. The calibrators (`models.head.Calibrator`) turn these into a confidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from models.segment import Paragraph, by_path

AGGREGATES = ("logit_max", "logit_top3", "log_sum", "block_mean", "block_log_sum")
MOVIE_AGGREGATES = ("post_movie_share", "grounded_block", "grounded_log_sum")  # movie_example only
MOVIE_LABEL = 1
LIMITS_AGGREGATES = ("limitation_share",)  # strengths_limitations only
LIMITS_LABEL = 2
EPS = 1e-4

# Words that tie a paragraph to the movie-streaming scenario (stricter than the paragraph cues:
# no user_id or Kafka, which any data post may show).
MOVIE_WORDS = re.compile(  # letters around a match end it, underscores do not (export_ratings)
    r"(?<![a-z])(?:movies?|films?|netflix|imdb|movielens|tmdb|streaming[ _-](?:service|platform|site|data)"
    r"|watch(?:ed|ing)?[ _-]?(?:history|events?|time|list)|ratings?|recommend\w*|viewers?|genres?"
    r"|episodes?|watched|binge)(?![a-z])",
    re.IGNORECASE,
)

# Words of a drawback: a strengths-and-limitations section names at least one.
LIMIT_WORDS = re.compile(
    r"\b(?:limitations?|limited|drawbacks?|downsides?|disadvantages?|weakness\w*|shortcomings?|cons\b"
    r"|caveats?|however|but\b|although|cannot|can't|can ?not|does ?n[o']t|doesn't|isn't|lacks?|lacking"
    r"|learning curve|overhead|complex\w*|hard\b|difficult\w*|struggl\w*|slow\w*|costly|expensive"
    r"|not\b|no\b|only\b|requires?|heavy)",
    re.IGNORECASE,
)


def _logit(p: float) -> float:
    p = min(max(p, EPS), 1 - EPS)
    return float(np.log(p / (1 - p)))


def post_aggregates(probs: np.ndarray, paragraphs: Sequence[Paragraph], label: int) -> np.ndarray:
    """The aggregates (AGGREGATES order) of one label over one post."""
    extra = {MOVIE_LABEL: len(MOVIE_AGGREGATES), LIMITS_LABEL: len(LIMITS_AGGREGATES)}.get(label, 0)
    if len(paragraphs) == 0:
        return np.array([_logit(0.0), _logit(0.0), 0.0, 0.0, 0.0] + [0.0] * extra)
    p = probs[:, label].astype(np.float64)
    top = np.sort(p)[::-1]
    top3 = float(np.concatenate([top[:3], np.zeros(max(0, 3 - len(top)))]).mean())
    blocks = by_path(paragraphs)
    block_mean = 0.0
    block_sum = 0.0
    for members in blocks.values():
        values = p[members]
        # a block of one paragraph counts as half: one sentence is weaker evidence than a section
        score = float(values.mean()) * min(1.0, 0.5 + 0.25 * len(members))
        block_mean = max(block_mean, score)
        block_sum = max(block_sum, float(values.sum()))
    out = [_logit(float(top[0])), _logit(top3), np.log1p(p.sum()), block_mean, np.log1p(block_sum)]
    if label == LIMITS_LABEL:
        negative = np.array([bool(LIMIT_WORDS.search(para.text)) for para in paragraphs], dtype=float)
        out.append(float((p * negative).sum() / max(p.sum(), EPS)))
    if label == MOVIE_LABEL:
        out.extend(grounded(p, paragraphs, blocks))
    return np.array(out)


def grounded(
    p: np.ndarray, paragraphs: Sequence[Paragraph], blocks: dict[tuple[str, ...], list[int]]
) -> list[float]:
    """Example evidence that is about movies in the same place: for each heading block, the mean
    example probability times the share of its paragraphs that name the movie scenario (all of
    them when the block's headings do; a block of one or two paragraphs counts less), and the soft
    count of movie-worded example paragraphs. A generic example (iris) next to a passing "could be
    used for movies" scores low on both. Also returned first: the post's share of movie paragraphs."""
    movie = np.array([bool(MOVIE_WORDS.search(para.text)) for para in paragraphs], dtype=float)
    best = 0.0
    best_sum = 0.0
    for path, members in blocks.items():
        values = p[members]
        if any(MOVIE_WORDS.search(heading) for heading in path):
            grounding = np.ones(len(members))
        else:
            grounding = movie[members]
        share = float(grounding.mean())
        best = max(best, float(values.mean()) * share * min(1.0, 0.25 + 0.25 * len(members)))
        best_sum = max(best_sum, float((values * grounding).sum()))
    return [float(movie.mean()), best, float(np.log1p(best_sum))]


def best_paragraph(probs: np.ndarray, label: int, paragraphs: Sequence[Paragraph] = ()) -> int:
    """Index of the paragraph that best supports the label (-1 for an empty post); for the movie
    example, a paragraph that names the movie scenario is preferred."""
    if len(probs) == 0:
        return -1
    score = probs[:, label].astype(np.float64)
    if label == MOVIE_LABEL and len(paragraphs) == len(score):
        score = score * np.array([1.0 if MOVIE_WORDS.search(p.text) else 0.5 for p in paragraphs])
    return int(np.argmax(score))
