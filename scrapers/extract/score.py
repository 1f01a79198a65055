"""Find the main content: the element whose text segments add up to the most article-like text."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from lxml import etree

from scrapers.extract.segments import Segment

LINK_WEIGHT = 2.0  # past LINK_FREE link density, each further link character costs this much
LINK_FREE = 0.5  # links up to this share of a segment only remove their own characters
SEGMENT_COST = 20.0  # every segment costs this many characters: many short bits look like chrome
KIND_COST = {"code": 0.0, "heading": 1.0}  # share of SEGMENT_COST by kind (code is never page chrome)
DEPTH_DECAY = 0.8  # a segment counts this much less for each level between it and a root candidate
LINK_DENSITY_POWER = 1.0  # a root candidate's value is scaled by (1 - link density) ** this
PRUNE_LINK_DENSITY = 0.5  # inside the root, containers with more links than this are dropped
LEAF_CLIMB = 0.8  # from a non-container root, climb while the parent keeps this share of its value
CLIMB_GAIN = 0.2  # widen the root when the parent's value is this share higher ...
CLIMB_LINKS = 0.2  # ... and the added text has at most this link density
CLIMB_PROSE = 0.7  # ... and mostly prose rather than list items (teaser lists are lists)
CLIMB_LEVELS = 6  # how far up to look for that parent
PROSE_KINDS = {"paragraph", "heading", "quote", "code"}
CONTAINER_TAGS = {
    *("div", "section", "article", "main", "aside", "header", "footer", "nav", "center", "span"),
    *("ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "form", "fieldset", "figure"),
}


def segment_value(seg: Segment) -> float:
    """How much a segment looks like article text (characters), negative for link lists and crumbs."""
    chars = seg.chars
    if not chars:
        return -SEGMENT_COST
    density = seg.link_chars / chars
    value = chars * (1.0 - density) - LINK_WEIGHT * chars * max(0.0, density - LINK_FREE)
    return value - SEGMENT_COST * KIND_COST.get(seg.kind, 1.0)


@dataclass
class Choice:
    """The chosen content root and the segments kept from it."""

    root: etree._Element | None
    segments: list[Segment]


@dataclass
class Stats:
    """Totals over the segments under one element."""

    value: float = 0.0
    reach: float = 0.0  # value with each segment discounted by its depth below this element
    chars: int = 0
    link_chars: int = 0
    prose_chars: int = 0  # characters in paragraphs, headings, quotes and code (not list items or tables)
    count: int = 0  # segments

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0

    @property
    def fitness(self) -> float:
        """How good a content root this element is: its value, discounted by its link density."""
        return self.reach * (1.0 - self.link_density) ** LINK_DENSITY_POWER


def element_stats(segments: list[Segment]) -> dict[etree._Element, Stats]:
    """Totals of segment values, characters and link characters under every element with text."""
    stats: dict[etree._Element, Stats] = defaultdict(Stats)
    for seg in segments:
        value = segment_value(seg)
        reach = value
        for el in (seg.owner, *seg.owner.iterancestors()):
            entry = stats[el]
            entry.value += value
            entry.reach += reach
            if reach > 0:
                reach *= DEPTH_DECAY
            entry.chars += seg.chars
            entry.count += 1
            entry.link_chars += seg.link_chars
            if seg.kind in PROSE_KINDS:
                entry.prose_chars += seg.chars
    return stats


def choose(segments: list[Segment]) -> Choice:
    """The best-scoring element, and its segments minus sub-containers that look like chrome."""
    if not segments:
        return Choice(None, [])
    stats = element_stats(segments)
    root = max(stats, key=lambda el: stats[el].fitness)
    if stats[root].value <= 0:
        return Choice(None, [])
    # A lone paragraph (or table) is never the whole article: take the container around it when that
    # scores nearly as well.
    while (root.tag not in CONTAINER_TAGS or stats[root].count == 1) and root.getparent() is not None:
        parent = root.getparent()
        if parent.tag in ("body", "html") or stats[parent].value < LEAF_CLIMB * stats[root].value:
            break
        root = parent
    root = _climb(root, stats)
    kept: list[Segment] = []
    verdict: dict[etree._Element, bool] = {root: True}
    for seg in segments:
        if _inside_and_kept(seg.owner, root, stats, verdict):
            kept.append(seg)
    return Choice(root, kept)


def _climb(root: etree._Element, stats: dict[etree._Element, Stats]) -> etree._Element:
    """Widen the root to an ancestor that adds much more text with few links (an article in parts)."""
    while True:
        inner = stats[root]
        wider = None
        for level, ancestor in enumerate(root.iterancestors()):
            if level >= CLIMB_LEVELS or ancestor.tag in ("body", "html"):
                break
            outer = stats[ancestor]
            extra_chars = outer.chars - inner.chars
            if extra_chars <= 0 or outer.value - inner.value < CLIMB_GAIN * inner.value:
                continue
            extra_prose = outer.prose_chars - inner.prose_chars
            if outer.link_chars - inner.link_chars <= CLIMB_LINKS * extra_chars and (
                extra_prose >= CLIMB_PROSE * extra_chars
            ):
                wider = ancestor
            break
        if wider is None:
            return root
        root = wider


def _inside_and_kept(
    el: etree._Element,
    root: etree._Element,
    stats: dict[etree._Element, Stats],
    verdict: dict[etree._Element, bool],
) -> bool:
    """Whether `el` is under `root` with no negative-scoring container between them."""
    path: list[etree._Element] = []
    node: etree._Element | None = el
    result = False
    while node is not None:
        known = verdict.get(node)
        if known is not None:
            result = known
            break
        path.append(node)
        node = node.getparent()
    for item in reversed(path):
        if result and item.tag in CONTAINER_TAGS and _looks_like_chrome(stats.get(item)):
            result = False
        verdict[item] = result
    return result


def _looks_like_chrome(stats: Stats | None) -> bool:
    """A container inside the content that is mostly links, or scores below zero and has links."""
    if stats is None:
        return False
    density = stats.link_density
    return density > PRUNE_LINK_DENSITY or (stats.value < 0 and density > 0.25)
