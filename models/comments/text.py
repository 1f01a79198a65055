"""Plain-text helpers: words, stems, sentences, identifiers (numbers among them) and copied spans.

Deterministic and dependency-free (re only), so features are the same at training and at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.comments.lexicon import COURSE_GENERIC, IDENTIFIER

SHINGLE = 5  # tokens in a copied run: 5 words in a row shared with the post count as copied

_TOKEN = re.compile(r"\w+(?:['’]\w+)?", re.UNICODE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_VOWEL = re.compile(r"[aeiouy]")
_STUTTER = re.compile(r"(..?)\1\1")


def word_count(text: str) -> int:
    """Whitespace-separated words: the length everyone means by 'a 46-word comment'."""
    return len(text.split())


def stem(word: str) -> str:
    """A light English stem (plural and a few suffixes), enough to match 'schemas' with 'schema'."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + repl
    return w


def content_words(text: str) -> list[str]:
    """Lower-case alphabetic words of three letters or more."""
    return [w.lower() for w in _WORD.findall(text) if len(w) >= 3]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def identifiers(text: str) -> list[str]:
    """Code-like tokens and numbers, as written; `quoted code` counts whole and by its parts."""
    out = []
    for match in IDENTIFIER.finditer(text):
        token = match.group(0)
        if token.startswith("`"):
            inner = token.strip("`")
            out.append(inner)
            out.extend(m.group(0) for m in IDENTIFIER.finditer(inner) if m.group(0) != inner)
        else:
            out.append(token)
    return out


def norm_identifier(token: str) -> str:
    """Identifiers compare case-insensitively; numbers without thousands separators."""
    token = token.lower().strip("`'\".,;:()[]{}")
    if _NUMBER.fullmatch(token):
        token = token.replace(",", "")
    return token


@dataclass(frozen=True)
class Vocabulary:
    """Which words are common: frequent in general English comments, or the course's own vocabulary."""

    common: frozenset[str]  # stems

    def is_rare(self, word: str) -> bool:
        """Not common, and word-like (no stuttering like 'dfdfdf'; a vowel unless short like 'ttl')."""
        w = word.lower()
        if len(w) < 3 or w in COURSE_GENERIC or _STUTTER.search(w) or (len(w) > 5 and not _VOWEL.search(w)):
            return False
        return stem(w) not in self.common


def tokens_with_spans(text: str) -> list[tuple[str, int, int]]:
    """Lower-case word tokens with their character spans (for copy detection)."""
    return [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def shingles(tokens: list[str], n: int = SHINGLE) -> set[str]:
    """The n-token runs, each joined into one string (stable across processes, unlike hash())."""
    return {"\x1f".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def copied_mask(tokens: list[str], post_shingles: set[str] | frozenset[str], n: int = SHINGLE) -> list[bool]:
    """Per token: part of an n-token run that also occurs in the post."""
    mask = [False] * len(tokens)
    for i in range(len(tokens) - n + 1):
        if "\x1f".join(tokens[i : i + n]) in post_shingles:
            for j in range(i, i + n):
                mask[j] = True
    return mask


def remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the given character spans cut out (merged; whitespace tidied)."""
    if not spans:
        return text
    out: list[str] = []
    at = 0
    for start, end in sorted(spans):
        if start > at:
            out.append(text[at:start])
        at = max(at, end)
    out.append(text[at:])
    return re.sub(r"[ \t]{2,}", " ", " ".join(out)).strip()
