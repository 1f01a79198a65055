"""Turn raw HTML bytes into text: BOM, caller's charset, <meta> declarations, then safe fallbacks."""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._\-]+)""", re.IGNORECASE)
_PRESCAN_BYTES = 8192
# Labels that browsers map to another decoder (WHATWG Encoding Standard).
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "utf8": "utf-8",
    "unicode": "utf-16-le",
}


def normalize_encoding(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def declared_encoding(data: bytes) -> str | None:
    """The charset named by an XML declaration or <meta charset>/http-equiv near the top."""
    head = data[:_PRESCAN_BYTES]
    match = _XML_DECL.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    return normalize_encoding(match.group(1).decode("ascii", "ignore"))


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bom(data: bytes) -> str | None:
    """The text of bytes that start with a byte-order mark (the mark dropped), None without one."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace")
    return None


def decode_html(data: str | bytes, encoding: str | None = None) -> str:
    """Decode page bytes: a BOM wins, valid UTF-8 next, then the declared charset, then cp1252."""
    if isinstance(data, str):
        return data
    text = decode_bom(data)
    if text is not None:
        return text
    candidates = [n for n in (normalize_encoding(encoding), declared_encoding(data)) if n]
    # UTF-16/32 without a BOM is only used when someone says so; it would also "decode" anything.
    wide = [n for n in candidates if n.startswith(("utf-16", "utf-32"))]
    # Non-ASCII text that is valid UTF-8 is UTF-8 with near certainty, whatever the label says.
    narrow = [n for n in candidates if n != "utf-8" and n not in wide]
    for name in (*wide, "utf-8", *narrow, "cp1252"):
        text = _try(data, name)
        if text is not None:
            return text
    return data.decode("utf-8", errors="replace")


_SAMPLE = 8192
_BINARY_SHARE = 0.05


def looks_binary(text: str) -> bool:
    """Whether decoded text is really binary data: many control or replacement characters."""
    sample = text[:_SAMPLE]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad > _BINARY_SHARE * len(sample)
