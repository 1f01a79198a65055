"""Features of one comment, alone and against its post, with the evidence the reasons quote.

Families (see MODEL_CARD.md):
- length: the comment's own words (copied runs removed); the C3 constructiveness logit is added by
  the head (`models.comments.head`), from the embedding and the length.
- generic praise: praise phrases, share of words in purely generic sentences, embedding similarity
  to generic-praise prototypes.
- specificity: questions (and questions naming something specific), suggestions,
  reasoning/disagreement, problems pointed out (errors, missing or wrong things), own experience,
  rare (technical) words, code identifiers and numbers, links.
- grounding (only with a post): max / top-3 cosine similarity to the post's paragraphs, rare words and
  identifiers shared with the post (its title and topic words excluded), share of content words found
  in the post.
- copying (only with a post): share of the comment's tokens inside 5-token runs that occur in the post.
Without a post, the grounding and copying features are 0 and `has_post` is 0.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from models.comments.lexicon import (
    COURSE_GENERIC,
    CRITIQUE,
    EXPERIENCE,
    INDIRECT_QUESTION,
    PRAISE,
    REASONING,
    SUGGESTION,
    URL,
)
from models.comments.post import PostEncoding
from models.comments.text import (
    Vocabulary,
    content_words,
    copied_mask,
    identifiers,
    norm_identifier,
    remove_spans,
    sentences,
    stem,
    tokens_with_spans,
    word_count,
)

SPECIFICITY = (
    "question",
    "specific_question",
    "suggestion",
    "reasoning",
    "critique",
    "experience",
    "rare_terms",
    "rare_share",
    "identifiers",
    "url",
)
FEATURES = (  # the head's input order (stored with its weights)
    "has_post",
    "own_words_log",
    "praise_sim",
    "generic_share",
    "praise_hits",
    *SPECIFICITY,
    "sim_max",
    "sim_top3",
    "overlap_rare",
    "overlap_ident",
    "overlap_frac",
    "copied_share",
    "post_x_words",
)
FAMILIES = {
    "length": ("own_words_log", "post_x_words"),
    "praise": ("praise_sim", "generic_share", "praise_hits"),
    "specificity": SPECIFICITY,
    "grounding": ("has_post", "sim_max", "sim_top3", "overlap_rare", "overlap_ident", "overlap_frac"),
    "copy": ("copied_share",),
}
FEATURES_VERSION = "comments-features-1"
RARE_SHARE_MIN = 8  # rare_share of a very short comment is taken over at least this many words


@dataclass
class Evidence:
    """What the features saw, in words a reader can check."""

    words: int = 0
    own_words: int = 0
    has_post: bool = False
    copied_share: float = 0.0
    praise: list[str] = field(default_factory=list)
    generic_share: float = 0.0
    praise_sim: float = 0.0
    questions: int = 0
    suggestions: list[str] = field(default_factory=list)
    reasoning: list[str] = field(default_factory=list)
    critique: list[str] = field(default_factory=list)
    experience: list[str] = field(default_factory=list)
    rare_terms: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    urls: int = 0
    grounded_terms: list[str] = field(default_factory=list)
    sim_max: float = 0.0


def _unique(items: list[str], limit: int = 6) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        key = item.lower()
        if key not in seen:
            seen[key] = item
    return list(seen.values())[:limit]


def _matches(pattern: re.Pattern[str], text: str) -> list[str]:
    return [" ".join(m.group(0).lower().split()) for m in pattern.finditer(text)]


def _useful_identifier(token: str) -> bool:
    norm = norm_identifier(token)
    if not norm or norm in COURSE_GENERIC:
        return False
    return not (norm.isdigit() and len(norm) < 2)


def comment_features(
    text: str,
    embedding: np.ndarray,
    post: PostEncoding | None,
    vocab: Vocabulary,
    praise_embeddings: np.ndarray,
) -> tuple[np.ndarray, Evidence]:
    """The feature vector (in FEATURES order) and its evidence."""
    ev = Evidence(words=word_count(text), has_post=post is not None and not post.empty)
    own = text
    if ev.has_post and post is not None:
        spans = tokens_with_spans(text)
        mask = copied_mask([t for t, _, _ in spans], post.shingles)
        if spans and any(mask):
            ev.copied_share = sum(mask) / len(mask)
            own = remove_spans(text, [(s, e) for (_, s, e), m in zip(spans, mask, strict=True) if m])
    ev.own_words = word_count(own)

    # generic praise
    ev.praise = _unique(_matches(PRAISE, own))
    ev.praise_sim = float(np.max(praise_embeddings @ embedding)) if len(praise_embeddings) else 0.0
    # specificity
    ev.suggestions = _unique(_matches(SUGGESTION, own))
    ev.reasoning = _unique(_matches(REASONING, own))
    ev.critique = _unique(_matches(CRITIQUE, own))
    ev.experience = _unique(_matches(EXPERIENCE, own))
    ev.urls = len(URL.findall(own))
    no_urls = URL.sub(" ", own)
    idents = [t for t in identifiers(no_urls) if _useful_identifier(t)]
    ev.identifiers = _unique(idents)
    words = content_words(no_urls)
    rare = [w for w in words if vocab.is_rare(w)]
    ev.rare_terms = _unique(rare)
    parts = sentences(own)
    asked = [s for s in parts if "?" in s or INDIRECT_QUESTION.search(s)]
    ev.questions = len(asked)
    specific_questions = sum(
        1
        for s in asked
        if any(vocab.is_rare(w) for w in content_words(s))
        or any(_useful_identifier(t) for t in identifiers(s))
    )
    generic_words = 0
    for sentence in parts:
        if not PRAISE.search(sentence) or sentence in asked or SUGGESTION.search(sentence):
            continue
        if any(vocab.is_rare(w) for w in content_words(sentence)):
            continue
        if any(_useful_identifier(t) for t in identifiers(sentence)):
            continue
        generic_words += word_count(sentence)
    ev.generic_share = generic_words / ev.own_words if ev.own_words else 0.0

    # grounding
    sim_max = sim_top3 = overlap_frac = 0.0
    grounded: list[str] = []
    grounded_idents: list[str] = []
    if ev.has_post and post is not None:
        sims = post.embeddings @ embedding
        top = np.sort(sims)[::-1][:3]
        sim_max, sim_top3 = float(top[0]), float(top.mean())
        grounded = [w for w in rare if stem(w) in post.stems and stem(w) not in post.title_stems]
        grounded_idents = [t for t in idents if norm_identifier(t) in post.identifiers]
        checkable = [w for w in words if len(w) >= 4 and w not in COURSE_GENERIC]
        if checkable:
            overlap_frac = sum(stem(w) in post.stems for w in checkable) / len(checkable)
    ev.grounded_terms = _unique(grounded_idents + grounded, 8)
    ev.sim_max = sim_max

    own_log = math.log1p(ev.own_words)
    has_post = 1.0 if ev.has_post else 0.0
    values = {
        "has_post": has_post,
        "own_words_log": own_log,
        "praise_sim": ev.praise_sim,
        "generic_share": ev.generic_share,
        "praise_hits": math.log1p(len(_matches(PRAISE, own))),
        "question": math.log1p(ev.questions),
        "specific_question": math.log1p(specific_questions),
        "suggestion": math.log1p(len(_matches(SUGGESTION, own))),
        "reasoning": math.log1p(len(_matches(REASONING, own))),
        "critique": math.log1p(len(_matches(CRITIQUE, own))),
        "experience": math.log1p(len(_matches(EXPERIENCE, own))),
        "rare_terms": math.log1p(len(set(stem(w) for w in rare))),
        "rare_share": len(rare) / max(len(words), RARE_SHARE_MIN),
        "identifiers": math.log1p(len({norm_identifier(t) for t in idents})),
        "url": float(ev.urls > 0),
        "sim_max": sim_max,
        "sim_top3": sim_top3,
        "overlap_rare": math.log1p(len({stem(w) for w in grounded})),
        "overlap_ident": math.log1p(len({norm_identifier(t) for t in grounded_idents})),
        "overlap_frac": overlap_frac,
        "copied_share": ev.copied_share,
        "post_x_words": has_post * own_log,
    }
    return np.array([values[name] for name in FEATURES], dtype=np.float64), ev
