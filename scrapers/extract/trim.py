"""Final tidying of the chosen segments: the repeated headline, bylines, datelines, ad labels."""

from __future__ import annotations

import re

from scrapers.extract.segments import Segment
from scrapers.extract.text import normalize_space

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\b"
    r"|\b\d+\s+(?:min(?:ute)?s?|hours?|days?)\s+(?:read|ago)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|posted|published|updated|written|last updated|posted on|published on)\b", re.IGNORECASE
)
_LABEL = re.compile(
    r"^(?:advertisement|advertisements|sponsored|ad|story continues below|continue reading|"
    r"scroll to continue|read more|share this|share|tweet|email|print|related|related articles|"
    r"related posts|you may also like|recommended|loading\.*|image|photo|video)[\s:.!]*$",
    re.IGNORECASE,
)
_SUBSTANTIAL = 100
_META_MAX = 120


def _is_meta_line(seg: Segment) -> bool:
    """A short line that is a byline, a date stamp, or a reading-time note."""
    if seg.kind in ("code", "table") or seg.chars > _META_MAX:
        return False
    text = seg.text
    byline = _BYLINE.match(text)
    if byline:
        words = text[byline.end() :].replace("|", " ").split()
        if 0 < len(words) <= 6 and all(not w[0].isalpha() or w[0].isupper() for w in words):
            return True
    match = _DATE.search(text)
    if not match:
        return False
    rest = (text[: match.start()] + text[match.end() :]).strip(" ,|/·•-–—:")
    return len(rest.split()) <= 6


def trim(segments: list[Segment], title: str) -> list[Segment]:
    """Drop the headline and byline/date lines above the text, and ad or sharing labels anywhere."""
    wanted = normalize_space(title).lower()
    out: list[Segment] = []
    started = False
    for seg in segments:
        if seg.kind != "code" and _LABEL.match(seg.text):
            continue
        if not started:
            if seg.kind == "heading" and (seg.level == 1 or seg.text.lower() == wanted):
                continue
            if _is_meta_line(seg):
                continue
            if seg.kind != "heading" and seg.chars >= _SUBSTANTIAL:
                started = True
        elif seg.kind == "paragraph" and seg.chars <= 60 and _DATE.search(seg.text) and _is_meta_line(seg):
            continue
        out.append(seg)
    return out
