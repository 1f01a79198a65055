"""Comments printed in the post page itself: WordPress themes (`li#comment-N`), Blogger
(`li.comment#cN`), static sites and the sample course (`div.comment#comment-N` with
`.comment-author` and `<time datetime>`). Each block gives its author, time, text and anchor."""

from __future__ import annotations

import re
from typing import Any

from scrapers.comments._util import element_text, millis_time, page_url, utc_time
from scrapers.comments.model import Comment, CommentSourceError, Listing
from scrapers.platforms._common import clean_space, to_text
from scrapers.platforms._html import parse_document
from scrapers.platforms.errors import PlatformError

PLATFORM = "web"
_COMMENT_ID = re.compile(r"^(?:comment-?\d+|c\d{6,}|li-comment-\d+)$")
_AUTHOR_CLASSES = ("fn", "comment-author", "comment-author-name", "user", "p-author", "author")
_CONTENT_CLASSES = ("comment-content", "contenttext", "comment-text", "comment-body-text", "e-content")
_META_CLASSES = (
    "comment-meta", "commentmetadata", "comment-metadata", "comment-header", "comment-actions", "reply",
    "comment-author", "comment-footer", "avatar-image-container", "comment-replies",
    "comment-replybox-single",
)  # fmt: skip
_SECTION_IDS = ("comments", "comments-area", "respond", "comment-holder", "disqus_thread")
_SECTION_CLASSES = (
    "comments",
    "comments-area",
    "comment-list",
    "commentlist",
    "comments-content",
    "comment-thread",
)
_WIDGETS = {  # comment systems a page loads with JavaScript: nothing to read in the page itself
    "disqus_thread": "Disqus",
    "utteranc.es": "utterances",
    "giscus.app": "giscus",
    "commento": "Commento",
    "hyvor": "Hyvor Talk",
    "fb-comments": "Facebook comments",
    "cusdis": "Cusdis",
}
_SHOW_COMMENT = re.compile(r"[?&]showComment=(\d{10,})")
_SAYS = re.compile(r"\s+(?:says|said|sagt|dit)\s*:?\s*$", re.IGNORECASE)


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").split())


def _is_comment(el: Any) -> bool:
    if not isinstance(el.tag, str) or el.tag.lower() in ("ol", "ul", "section", "form", "textarea", "a"):
        return False
    classes = _classes(el)
    cid = el.get("id") or ""
    if "comment" in classes:
        return True
    return bool(_COMMENT_ID.match(cid)) and el.tag.lower() in ("li", "div", "article")


def parse_page(body: bytes | str, url: str) -> Listing:
    """The comments printed in a page. `complete` is False when the page shows no comment section
    (or only a JavaScript widget), since its comments may live elsewhere."""
    try:
        doc = parse_document(body, "the post page")
    except PlatformError as exc:
        raise CommentSourceError(str(exc)) from None
    base = page_url(url)
    nodes = [el for el in doc.iter() if _is_comment(el)]
    node_set = set(nodes)
    comments: list[Comment] = []
    seen: set[str] = set()
    for el in nodes:
        comment = _comment(el, node_set, base)
        if comment is not None and comment.id not in seen:
            seen.add(comment.id)
            comments.append(comment)
    raw = to_text(body)
    section = _has_section(doc)
    widget = next((name for marker, name in _WIDGETS.items() if marker in raw), "")
    notes = []
    complete = bool(comments) or section
    if widget and not comments:
        complete = False
        notes.append(f"the page loads its comments with {widget}")
    elif not complete:
        notes.append("no comment section on the page")
    if re.search(r"""class=["']loadmore(?![^"']*hidden)""", raw):
        complete = False  # Blogger shows the first 200 and loads the rest on demand
    return Listing(comments=comments, complete=complete, notes=notes, source="html")


def _has_section(doc: Any) -> bool:
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        if (el.get("id") or "") in _SECTION_IDS and (el.get("id") != "disqus_thread"):
            return True
        if _classes(el) & set(_SECTION_CLASSES):
            return True
    return False


def _inside(el: Any, root: Any, comments: set[Any]) -> bool:
    """Whether `el` belongs to a comment nested in `root` (a reply), not to `root` itself."""
    for parent in el.iterancestors():
        if parent is root:
            return False
        if parent in comments:
            return True
    return False


def _own(root: Any, comments: set[Any], xpath: str) -> list[Any]:
    return [el for el in root.xpath(xpath) if el is not root and not _inside(el, root, comments)]


def _by_class(root: Any, comments: set[Any], name: str) -> Any:
    found = _own(root, comments, f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")
    return found[0] if found else None


def _comment(el: Any, comments: set[Any], base: str) -> Comment | None:
    cid = el.get("id") or ""
    if not cid:
        inner = _own(el, comments, ".//*[starts-with(@id, 'div-comment-')]")
        cid = inner[0].get("id")[4:] if inner else ""
    if not cid:
        return None
    author, author_url = _author(el, comments)
    posted = _time(el, comments)
    text = _text(el, comments)
    if not text and not author:
        return None
    parent = next((p for p in el.iterancestors() if p in comments), None)
    anchors = [cid]
    if cid.startswith("comment-"):
        anchors.append(f"div-{cid}")
    return Comment(
        platform=PLATFORM,
        id=cid,
        url=f"{base}#{cid}",
        author=author,
        author_url=author_url,
        posted_at=posted,
        text=text,
        parent=(parent.get("id") or "") if parent is not None else "",
        anchors=tuple(anchors),
    )


def _author(el: Any, comments: set[Any]) -> tuple[str, str]:
    for name in _AUTHOR_CLASSES:
        node = _by_class(el, comments, name)
        if node is None:
            continue
        if name == "comment-author":  # WordPress: <div class="comment-author vcard"><b class="fn">
            inner = _by_class(node, set(), "fn")
            node = inner if inner is not None else node
        text = _SAYS.sub("", clean_space(node.text_content()))
        if not text or len(text) > 120:
            continue
        links = node.xpath(".//a[@href]") if node.tag != "a" else [node]
        href = links[0].get("href") if links else ""
        return text, href if href.startswith(("http://", "https://")) else ""
    cite = _own(el, comments, ".//cite")
    if cite:
        return clean_space(cite[0].text_content())[:120], ""
    return "", ""


def _time(el: Any, comments: set[Any]) -> str:
    for node in _own(el, comments, ".//time[@datetime]"):
        value = utc_time(node.get("datetime"))
        if value:
            return value
    for node in _own(el, comments, ".//abbr[@title]"):
        value = utc_time(node.get("title"))
        if value:
            return value
    for node in _own(el, comments, ".//a[@href]"):
        shown = _SHOW_COMMENT.search(node.get("href") or "")
        if shown:
            return millis_time(shown.group(1))  # Blogger's permalink carries the time in milliseconds
    return ""


def _text(el: Any, comments: set[Any]) -> str:
    for name in _CONTENT_CLASSES:
        node = _by_class(el, comments, name)
        if node is not None:
            return element_text(node)
    paragraphs = [
        p
        for p in _own(el, comments, ".//p")
        if not any(_classes(a) & set(_META_CLASSES) for a in p.iterancestors() if a is not el)
        and not (_classes(p) & {"comment-likes", "says"})
    ]
    return "\n\n".join(t for t in (clean_space(p.text_content()) for p in paragraphs) if t)
