"""Small text helpers shared by the extractor modules."""

from __future__ import annotations

import re

from lxml import etree

_SPACE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"), None)


def normalize_space(text: str | None) -> str:
    """Collapse runs of whitespace into one space, drop zero-width characters, and strip."""
    if not text:
        return ""
    return _SPACE.sub(" ", text.translate(_INVISIBLE)).strip()


def text_of(el: etree._Element) -> str:
    """All text inside an element (its descendants' tails included, its own tail not)."""
    return "".join(el.itertext())
