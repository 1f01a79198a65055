"""Cheap post-level flags beside the rubric verdict.

- `too_short`: fewer than TOO_SHORT_WORDS words of prose (code excluded).
- `not_english`: mostly non-Latin letters, or too few English stopwords among the words.
- `draft_placeholder`: TODO / TBD / FIXME, lorem ipsum, "[insert ...]" in the prose (not in code).
- `copied_prompt`: long word n-gram overlap with the assignment prompt (PROMPT, our own wording).
- `tool_not_mentioned`: the claimed tool's name (or its distinctive word) never appears.
- `video_post`, `member_only_partial`: passed through from the Article's flags.
- `not_judged`: the sections were not judged (member-only preview, or no text at all).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from scrapers.article import Article

TOO_SHORT_WORDS = 300
NOT_ENGLISH_MIN_WORDS = 20
STOPWORD_RATIO = 0.15  # English prose runs at 0.35-0.55; French or German at 0.05-0.12
LATIN_SHARE = 0.5
SHINGLE = 6  # words per n-gram for the prompt overlap
PROMPT_MIN_SHARED = 4  # shared n-grams that make a copied prompt (a run of 9+ words)

# The assignment prompt, in our own words (from the rubric): a post that pastes it should match.
PROMPT = """
Write a blog post about a tool for production machine learning systems and try the tool on the
movie streaming scenario. Each post must explain the problem the tool addresses, explain how the
tool helps, illustrated with an example from the movie streaming scenario where the tool is applied
to movie or streaming data or to a concrete movie streaming task, and discuss the strengths and
limitations of the tool. Claim a tool that no other student has claimed this term and that you have
not used before. Write for a broad audience of engineers and data scientists interested in machine
learning. Publish the post publicly, for example on Medium or GitHub Pages, and add the link to the
claim sheet before the deadline. After the deadline read the posts of two classmates and leave a
comment on each that engages with the content of the post; a comment such as looks good does not
count. Comments are due three days after the post deadline.
"""

_STOPWORD_TEXT = """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_PLACEHOLDER = re.compile(
    r"\bTODO\b|\bTBD\b|\bFIXME\b|\blorem ipsum\b|\[\s*(?:insert|add|your|placeholder)\b[^\]]{0,200}\]"
    r"|<\s*insert\b[^>]{0,200}>|\{\{\s*insert\b",
    re.IGNORECASE,
)
_CASE_SENSITIVE = re.compile(r"\bTODO\b|\bTBD\b|\bFIXME\b")
_TOOL_NOISE_TEXT = """apache ai ml the a an for and with of tool tools open source platform io js py framework
    library great pipelines pipeline data model models feature features store detect studio cloud hub
    server serving flow deep light fast simple lab labs expectations"""
_TOOL_NOISE = frozenset(_TOOL_NOISE_TEXT.split())


def prose(article: Article) -> list[str]:
    """The text of every non-code block (headings included)."""
    return [b.text for b in article.blocks if b.kind != "code"]


def not_english(texts: Iterable[str]) -> bool:
    text = "\n".join(texts)
    letters = _LETTER.findall(text)
    if len(letters) < 40:
        return False
    if len(_LATIN.findall(text)) / len(letters) < LATIN_SHARE:
        return True
    words = [w.lower() for w in _WORD.findall(text) if _LATIN.match(w)]
    if len(words) < NOT_ENGLISH_MIN_WORDS:
        return False
    return sum(w in STOPWORDS for w in words) / len(words) < STOPWORD_RATIO


def has_placeholder(texts: Iterable[str]) -> bool:
    for text in texts:
        for match in _PLACEHOLDER.finditer(text):
            token = match.group(0)
            # TODO/TBD/FIXME only in capitals: "a todo app" is not a placeholder
            if token.upper() in ("TODO", "TBD", "FIXME") and not _CASE_SENSITIVE.fullmatch(token):
                continue
            return True
    return False


def words_of(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def shingles(words: Sequence[str], n: int = SHINGLE) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


PROMPT_SHINGLES = shingles(words_of(PROMPT))


def copied_prompt(texts: Iterable[str], prompt_shingles: set[tuple[str, ...]] = PROMPT_SHINGLES) -> bool:
    return len(shingles(words_of("\n".join(texts))) & prompt_shingles) >= PROMPT_MIN_SHARED


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def tool_names(tool: str) -> list[str]:
    """The claimed tool as one or more names: "Streamlit + MLflow" is two tools."""
    tool = re.sub(r"\([^)]*\)", " ", tool)
    parts = re.split(r"\s*(?:\+|,|/|\band\b)\s*", tool)
    return [p.strip() for p in parts if p.strip()]


def mentions_tool(text: str, tool: str) -> bool:
    """True when any of the claimed tools is named: its full name (case, spaces and punctuation
    ignored), or one of its distinctive words ("Evidently AI" -> evidently, "Kubeflow Pipelines" ->
    kubeflow; generic words such as apache, ai, pipelines or great never count alone)."""
    names = tool_names(tool)
    if not names:
        return True
    squashed = _norm(text)
    words = set(words_of(text))
    for name in names:
        if _norm(name) and _norm(name) in squashed:
            return True
        distinctive = [w for w in words_of(name) if w not in _TOOL_NOISE and len(w) >= 3]
        if any(w in words for w in distinctive):
            return True
    return False


def post_flags(
    article: Article,
    tool: str = "",
    *,
    judged: bool = True,
    prompt_shingles: set[tuple[str, ...]] = PROMPT_SHINGLES,
) -> list[str]:
    """All flags of one post, in a fixed order."""
    texts = prose(article)
    flags: list[str] = []
    if "video_post" in article.flags:
        flags.append("video_post")
    if "member_only_partial" in article.flags:
        flags.append("member_only_partial")
    if not judged:
        flags.append("not_judged")
    if article.words < TOO_SHORT_WORDS:
        flags.append("too_short")
    if not_english(texts):
        flags.append("not_english")
    if has_placeholder(texts):
        flags.append("draft_placeholder")
    if copied_prompt(texts, prompt_shingles):
        flags.append("copied_prompt")
    if tool.strip() and not mentions_tool(article.title + "\n" + "\n".join(texts), tool):
        flags.append("tool_not_mentioned")
    return flags
