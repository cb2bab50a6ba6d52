"""Text hygiene for extracted fields: decoding, invisible characters, whitespace."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode
from w3lib.html import replace_entities

logger = logging.getLogger(__name__)

# Bidi marks, embeddings and isolates, zero-width characters and the soft hyphen: invisible, they
# break keyword matching and equality between fields.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u00ad]")
# Control characters lxml refuses (everything below 0x20 but tab and newlines).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# UTF-8 read as Latin-1 and encoded again: Arabic then shows as "Ø§Ù„...".
_DOUBLE_UTF8_SIGN = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]")
_HIGH_RUN = re.compile("[\u0080-\u00ff]+")
_DOUBLE_UTF8_MIN = 20
# Arabic short vowels, tanween, shadda, sukun, dagger alef and tatweel: optional in writing.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ALEF_FORMS = str.maketrans("أإآٱ", "اااا")
_EDGE_PUNCTUATION = " :：.،,;؛-–—|»«\"'()[]"


def clean_text(value: str | None) -> str:
    """One line of text: invisible characters removed, whitespace collapsed."""
    if not value:
        return ""
    return " ".join(_INVISIBLE.sub("", value).split())


def clean_paragraphs(values: Iterable[str | None]) -> list[str]:
    """Each value cleaned with clean_text, empty ones dropped."""
    return [text for text in map(clean_text, values) if text]


def fold(value: str | None) -> str:
    """A comparison key: cleaned, lowercased, Arabic marks dropped and alef forms unified."""
    text = _ARABIC_MARKS.sub("", clean_text(value)).translate(_ALEF_FORMS)
    return text.lower().strip(_EDGE_PUNCTUATION)


def unescape(value: str) -> str:
    """Text with HTML entities resolved (JSON-LD strings often carry them)."""
    return replace_entities(value, remove_illegal=True)


def decode_html(body: bytes | str, encoding: str | None = None) -> str:
    """The page as text: the given encoding, else BOM / meta charset, else a detected one."""
    if isinstance(body, bytes):
        header = f"text/html; charset={encoding}" if encoding else None
        used, text = html_to_unicode(header, body, auto_detect_fun=_detect_encoding)
        logger.debug("decoded page as %s", used)
    else:
        text = body
    return repair_double_utf8(_CONTROL.sub("", text))


def repair_double_utf8(text: str) -> str:
    """Text whose UTF-8 was decoded as Latin-1 and encoded again, put back; other text unchanged."""
    if len(_DOUBLE_UTF8_SIGN.findall(text)) < _DOUBLE_UTF8_MIN:
        return text
    return _HIGH_RUN.sub(_undo_double_utf8, text)


def _undo_double_utf8(match: re.Match[str]) -> str:
    run = match.group(0)
    try:
        return run.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return run


def _detect_encoding(body: bytes) -> str | None:
    """UTF-8 when the bytes are valid UTF-8, else charset_normalizer's best guess."""
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(body).best()
    return best.encoding if best else None
