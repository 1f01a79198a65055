"""Tree cleanup before scoring: drop non-content tags, hidden parts, and boilerplate by tag/class/id."""

from __future__ import annotations

import itertools
import re

from lxml import etree

from scrapers.extract.text import text_of

# Elements that never hold article text.
JUNK_TAGS = (
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "button",
    "select",
    "textarea",
    "input",
    "option",
    "link",
    "meta",
    "video",
    "audio",
    "map",
    "source",
    "track",
    "img",
    "picture",
)
# Structural elements that hold page chrome rather than the article.
CHROME_TAGS = {"nav", "aside", "footer", "header", "menu", "dialog", "figcaption"}
CHROME_ROLES = {
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
    "toolbar",
}
# Class/id tokens (split on punctuation and camelCase) that mark boilerplate: a token equal to one
# of the words or starting with one of the prefixes. Strong marks remove an element whatever it
# holds; weak ones only when it does not read like article text (state classes such as
# "field-label-hidden" or "elementor-widget" wrap real articles).
STRONG_PREFIXES = (
    "comment",
    "disqus",
    "wpdiscuz",
    "share",
    "sharing",
    "social",
    "sociable",
    "addtoany",
    "addthis",
    "related",
    "recommend",
    "newsletter",
    "subscri",
    "signup",
    "cookie",
    "consent",
    "gdpr",
    "sidebar",
    "breadcrumb",
    "pagination",
    "navbar",
    "navigation",
    "masthead",
    "footer",
    "authorbio",
    "aboutauthor",
    "authorbox",
    "biobox",
    "outbrain",
    "taboola",
    "zergnet",
    "screenreader",
    "caption",
    "byline",
    "linenos",
    "lineno",
    "gutter",
    "linenumber",
)
STRONG_WORDS = {"respond", "replies", "reply", "nav", "menu", "skip", "sronly", "visuallyhidden", "blobnum"}
WEAK_PREFIXES = (
    "widget",
    "popup",
    "modal",
    "promo",
    "advert",
    "paywall",
    "trending",
    "mostpopular",
    "mostread",
    "login",
    "signin",
)
WEAK_WORDS = {
    "rail",
    "prev",
    "next",
    "print",
    "toolbar",
    "tags",
    "tag",
    "taglist",
    "categories",
    "topics",
    "ads",
    "ad",
    "adslot",
    "adunit",
    "adsense",
    "dfp",
    "banner",
    "sponsored",
    "sponsor",
    "hidden",
    "pager",
}
NOT_BOILERPLATE = ("commentary",)
# Class/id tokens (or two adjacent tokens joined) that mark the article body itself.
CONTENT_WORDS = {
    "articlebody",
    "articlecontent",
    "articletext",
    "postbody",
    "postcontent",
    "postentry",
    "entrycontent",
    "entrybody",
    "storybody",
    "storycontent",
    "maincontent",
    "contentbody",
    "blogpost",
    "singlepost",
    "posttext",
    "bodytext",
    "richtext",
    "markdownbody",
    "pagecontent",
}
GENERIC_CONTENT_WORDS = {"article", "post", "entry", "content", "main", "story"}
ARTICLE_CHARS = 500  # a weakly marked element with this much text, mostly not links, is kept
_TOKEN = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def hints(el: etree._Element) -> str:
    """The class and id of an element as one string."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def hint_tokens(el: etree._Element) -> list[str]:
    """Lower-cased words of the class and id, split on punctuation and camelCase, plus joined pairs."""
    raw = hints(el)
    if not raw:
        return []
    words = [w.lower() for w in _TOKEN.findall(raw)]
    return words + [a + b for a, b in itertools.pairwise(words)]


def boilerplate_strength(el: etree._Element) -> int:
    """2 when the class/id surely marks chrome (comments, sharing, ...), 1 when it may, else 0."""
    strength = 0
    for token in hint_tokens(el):
        if token.startswith(NOT_BOILERPLATE):
            continue
        if token in STRONG_WORDS or token.startswith(STRONG_PREFIXES):
            return 2
        if token in WEAK_WORDS or token.startswith(WEAK_PREFIXES):
            strength = 1
    return strength


def reads_like_article(el: etree._Element) -> bool:
    """Whether an element holds a good amount of text that is not links (paragraphs or <br> prose)."""
    text = text_of(el)
    if len(text) < ARTICLE_CHARS:
        return False
    words = len(text.split())
    link_words = sum(len(text_of(a).split()) for a in el.iter("a"))
    return words >= ARTICLE_CHARS // 8 and link_words < 0.3 * words


def is_content(el: etree._Element, strict: bool = False) -> bool:
    """Whether the class/id (or itemprop) says this is the article body; strict: in so many words."""
    if "articlebody" in (el.get("itemprop") or "").lower().split():
        return True
    tokens = hint_tokens(el)
    if any(token in CONTENT_WORDS for token in tokens):
        return True
    return not strict and any(token in GENERIC_CONTENT_WORDS for token in tokens)


def _is_hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def protected_elements(body: etree._Element) -> set[etree._Element]:
    """The chain of nested elements that look like the article body, with ancestors: never removed."""
    candidates: list[tuple[etree._Element, int]] = []
    for el in body.iter():
        if isinstance(el.tag, str) and (el.tag in ("article", "main") or is_content(el)):
            length = len(text_of(el))
            if length > 200:
                candidates.append((el, length))
    if not candidates:
        return {body}
    best, best_len = max(candidates, key=lambda pair: pair[1])
    keep = {best, body}
    keep.update(best.iterancestors())
    while True:
        inner = [(el, n) for el, n in candidates if n >= best_len * 0.5 and el is not best and el not in keep]
        inner = [(el, n) for el, n in inner if any(a is best for a in el.iterancestors())]
        if not inner:
            return keep
        best, best_len = max(inner, key=lambda pair: pair[1])
        keep.add(best)
        keep.update(best.iterancestors())


def clean(body: etree._Element) -> None:
    """Remove junk tags, hidden elements and boilerplate regions from a <body> in place."""
    etree.strip_elements(body, *JUNK_TAGS, with_tail=False)
    keep = protected_elements(body)
    doomed: list[etree._Element] = []
    walker = etree.iterwalk(body, events=("start",))
    for _, el in walker:
        tag = el.tag
        if not isinstance(tag, str):
            doomed.append(el)
            walker.skip_subtree()
            continue
        if el in keep:
            continue
        role = (el.get("role") or "").lower()
        if tag in CHROME_TAGS or role in CHROME_ROLES or _is_hidden(el):
            doomed.append(el)
            walker.skip_subtree()
            continue
        if tag in ("a", "p", "span", "li", "html", "body"):
            continue
        strength = boilerplate_strength(el)
        if strength and is_content(el, strict=True):
            continue
        if strength == 2 or (strength == 1 and not reads_like_article(el)):
            doomed.append(el)
            walker.skip_subtree()
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        tail = el.tail
        if tail and tail.strip():
            previous = el.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)
