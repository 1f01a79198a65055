"""Page metadata: title, author and publication date from meta tags, JSON-LD, headings and <time>."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from scrapers.extract.text import normalize_space, text_of

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "socialmediaposting",
    "report",
    "scholarlyarticle",
    "techarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reportagenewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "livebloggosting",
    "liveblogposting",
    "posting",
    "review",
    "webpage",
    "discussionforumposting",
    "howto",
    "recipe",
}
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|•·»–—:]|-|::)\s+")
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:view\s+)?(?:all\s+)?(?:posts|articles|stories)\s+by|written\s+by|posted\s+by|author\s*:"
    r"|by|von|par|por)\s*[:\s]\s*",
    re.IGNORECASE,
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/([01]?\d)/([0-3]?\d)(?:/|$)")
_MAX_JSON_LD = 2_000_000
_DATE_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%b. %d, %Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%A, %B %d, %Y",
    "%a, %b %d, %Y",
    "%Y-%m-%d",
    "%Y%m%d",
)


@dataclass
class Metadata:
    """What a page says about itself."""

    title: str = ""
    author: str = ""
    published: str = ""
    article_body: str = ""  # schema.org articleBody, when the page declares one


def _meta_map(doc: etree._Element) -> dict[str, str]:
    """Lower-cased meta name/property/itemprop -> first non-empty content."""
    found: dict[str, str] = {}
    for meta in doc.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        value = meta.get("content") or ""
        key = key.strip().lower()
        value = normalize_space(value)
        if key and value and key not in found:
            found[key] = value
    return found


def _walk_json(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every dict in a JSON-LD document, @graph members included (bounded depth)."""
    if depth > 8:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk_json(item, depth + 1)
    elif isinstance(node, dict):
        yield node
        graph = node.get("@graph")
        if isinstance(graph, list):
            yield from _walk_json(graph, depth + 1)
        main = node.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _walk_json(main, depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", "")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values if isinstance(v, str)}


def _names(value: Any, depth: int = 0) -> list[str]:
    """Author names from a JSON-LD author value (string, Person, or a list of them)."""
    if depth > 3:
        return []
    if isinstance(value, str):
        return [] if value.startswith("http") else [value]
    if isinstance(value, list):
        return [name for item in value for name in _names(item, depth + 1)]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return [name]
    return []


def json_ld_articles(doc: etree._Element) -> list[dict[str, Any]]:
    """JSON-LD objects typed as an article (or web page), best first."""
    found: list[tuple[int, dict[str, Any]]] = []
    for script in doc.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > _MAX_JSON_LD:
            continue
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue
        for obj in _walk_json(data):
            types = _types(obj)
            if types & ARTICLE_TYPES:
                rank = 1 if types <= {"webpage"} else 0
                found.append((rank, obj))
    found.sort(key=lambda pair: pair[0])
    return [obj for _, obj in found]


def to_iso(value: str) -> str:
    """An ISO 8601 date or date-time for a date string in a common format, else ""."""
    value = normalize_space(value)
    if not value or len(value) > 80:
        return ""
    candidate = value.replace("Z", "+00:00") if value.endswith("Z") else value
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)
    try:
        parsed = dt.datetime.fromisoformat(candidate)
    except ValueError:
        parsed = None
    if parsed is not None:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", candidate):
            return parsed.date().isoformat()
        return parsed.isoformat()
    try:
        rfc = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        rfc = None
    if rfc is not None:
        return rfc.isoformat()
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})[T ]", value)
    if match:
        return _date_or_empty(*map(int, match.groups()))
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", value)
    cleaned = re.sub(r"^(?:published|posted|updated|on)\s*:?\s*", "", cleaned, flags=re.IGNORECASE)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return ""


def _date_or_empty(year: int, month: int, day: int) -> str:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def _clean_author(value: str) -> str:
    value = normalize_space(_BY_PREFIX.sub("", normalize_space(value)))
    if not value or value.startswith(("http://", "https://")) or len(value) > 120:
        return ""
    return value


_SITE_MARKS = ("site-title", "site-name", "logo", "brand", "masthead", "blog-title")


def _is_site_heading(el: etree._Element) -> bool:
    """A heading that names the site (in the page header, navigation, or a logo/branding block)."""
    for node in (el, *el.iterancestors()):
        if node.tag in ("header", "nav") and not any(
            a.tag in ("article", "main") for a in node.iterancestors()
        ):
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if any(word in marks for word in _SITE_MARKS):
            return True
    return False


def _headings(doc: etree._Element) -> list[tuple[str, str]]:
    """(tag, text) of h1-h3 headings, the article's before the site's, h1 before h2 before h3."""
    found = []
    for index, el in enumerate(doc.iter("h1", "h2", "h3")):
        if index >= 60:
            break
        text = normalize_space(text_of(el))
        if text and len(text) <= 300:
            found.append((_is_site_heading(el), el.tag, index, text))
    found.sort()
    return [(tag, text) for _, tag, _, text in found]


def _title_from_document(doc: etree._Element, meta: dict[str, str]) -> str:
    """The <title> without its site-name part, preferring a heading that matches a part of it."""
    title_el = doc.find(".//title")
    raw = normalize_space(text_of(title_el) if title_el is not None else "")
    headings = _headings(doc)
    if raw:
        for _, heading in headings:
            if len(heading) > 3 and heading.lower() in raw.lower():
                return heading
        parts = [p for p in _TITLE_SEPARATORS.split(raw) if p.strip()]
        site = meta.get("og:site_name", "").lower()
        parts = [p for p in parts if p.strip().lower() != site] or parts
        if len(parts) > 1:
            return max(parts, key=len).strip()
        return raw
    return next((text for tag, text in headings if tag == "h1"), "")


def _author_from_document(doc: etree._Element) -> str:
    """An author from rel=author links or itemprop/class hints in the page body."""
    for el in doc.iter("a", "span", "div", "p", "address"):
        rel = (el.get("rel") or "").lower()
        prop = (el.get("itemprop") or "").lower()
        if (rel == "author" and (el.get("href") or "/").strip() not in ("/", "./", "#")) or prop == "author":
            name_el = el.find(".//*[@itemprop='name']") if prop == "author" else None
            text = text_of(name_el if name_el is not None else el)
            author = _clean_author(text)
            if author and len(author.split()) <= 6:
                return author
    return ""


def _published_from_document(doc: etree._Element, url: str) -> str:
    """A date from <time> elements, itemprop=datePublished, or the URL path."""
    for el in doc.iter("time", "span", "abbr", "div", "p"):
        prop = (el.get("itemprop") or "").lower()
        if el.tag != "time" and prop != "datepublished":
            continue
        for value in (el.get("datetime"), el.get("content"), el.get("title"), text_of(el)):
            if value:
                iso = to_iso(value)
                if iso:
                    return iso
    match = _URL_DATE.search(url or "")
    if match:
        return _date_or_empty(*map(int, match.groups()))
    return ""


def extract_metadata(doc: etree._Element, url: str = "") -> Metadata:
    """Title, author, publication date and any declared article body of a parsed page."""
    meta = _meta_map(doc)
    articles = json_ld_articles(doc)
    result = Metadata()

    for obj in articles:
        headline = obj.get("headline") or obj.get("name")
        if isinstance(headline, str) and not result.title and not _types(obj) <= {"webpage"}:
            result.title = normalize_space(headline)
        if not result.author:
            names = [_clean_author(n) for n in _names(obj.get("author") or obj.get("creator"))]
            result.author = ", ".join(n for n in names if n)
        published = obj.get("datePublished") or obj.get("dateCreated")
        if isinstance(published, str) and not result.published:
            result.published = to_iso(published)
        body = obj.get("articleBody") or obj.get("text")
        if isinstance(body, str) and len(body) > len(result.article_body):
            result.article_body = body

    for key in ("og:title", "twitter:title", "dc.title", "sailthru.title", "parsely-title"):
        if meta.get(key) and not result.title:
            result.title = meta[key]
    if not result.title:
        result.title = _title_from_document(doc, meta)

    if not result.author:
        for key in ("author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author"):
            author = _clean_author(meta.get(key, ""))
            if author:
                result.author = author
                break
    if not result.author:
        result.author = _author_from_document(doc)

    if not result.published:
        for key in (
            "article:published_time",
            "og:published_time",
            "datepublished",
            "date",
            "pubdate",
            "publishdate",
            "publish-date",
            "dc.date.issued",
            "dc.date",
            "dcterms.date",
            "sailthru.date",
            "parsely-pub-date",
            "article.published",
            "published-date",
            "release_date",
        ):
            iso = to_iso(meta.get(key, ""))
            if iso:
                result.published = iso
                break
    if not result.published:
        result.published = _published_from_document(doc, url)
    return result
