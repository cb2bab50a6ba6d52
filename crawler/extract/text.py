"""Text hygiene for extracted fields: decoding, invisible characters, whitespace."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import ftfy
from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode, read_bom
from w3lib.html import replace_entities

logger = logging.getLogger(__name__)

# Bidi marks, embeddings and isolates, zero-width characters and the soft hyphen: invisible, they
# break keyword matching and equality between fields. ZWNJ (U+200C) is handled apart: in Persian
# it separates the parts of a word ("می‌شود") and must stay there.
_INVISIBLE = re.compile("[\u200b\u200d-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
_STRAY_ZWNJ = re.compile("(?<![\u0620-\u06ff])\u200c|\u200c(?![\u0620-\u06ff])")
# Control characters lxml refuses (everything below 0x20 but tab and newlines).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D))
# UTF-8 read as Latin-1 or windows-1252 and encoded again: Arabic then shows as "Ø§Ù„...".
# windows-1252's letters for the bytes 0x80-0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ)
_CP1252_HIGH = bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")
_DOUBLE_UTF8_SIGN = re.compile(f"[\u00c2-\u00f4][\u0080-\u00bf{_CP1252_HIGH}]")
_DOUBLE_UTF8_MIN = 20
_DOUBLE_UTF8_LEADS = ("Ã", "Ø", "Ù", "Ð")  # the usual first halves: Latin, Arabic, Cyrillic
_DOUBLE_UTF8_SHARE = 0.5  # of the non-ASCII characters that must be mojibake pairs
_UNDECODED_SHARE = 0.01
# Arabic short vowels, tanween, shadda, sukun, dagger alef and tatweel: optional in writing.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ALEF_FORMS = str.maketrans("أإآٱ", "اااا")
_NOT_ALNUM = re.compile(r"[\W_]+")
_EDGE_PUNCTUATION = " :：.،,;؛-–—|»«\"'()[]"


def clean_text(value: str | None) -> str:
    """One line of text: invisible characters gone (ZWNJ kept inside Persian words), spaces collapsed."""
    if not value:
        return ""
    text = _INVISIBLE.sub("", value)
    if "\u200c" in text:
        text = _STRAY_ZWNJ.sub("", text)
    return " ".join(text.split())


def clean_paragraphs(values: Iterable[str | None]) -> list[str]:
    """Each value cleaned with clean_text, empty ones dropped."""
    return [text for text in map(clean_text, values) if text]


def fold(value: str | None) -> str:
    """A comparison key: cleaned, lowercased, Arabic marks dropped and alef forms unified."""
    text = _ARABIC_MARKS.sub("", clean_text(value).replace("\u200c", "")).translate(_ALEF_FORMS)
    return text.lower().strip(_EDGE_PUNCTUATION)


def letters(value: str | None) -> str:
    """Only the letters and digits of a folded text: equal for texts that differ in punctuation."""
    return _NOT_ALNUM.sub("", fold(value))


def unescape(value: str) -> str:
    """Text with HTML entities resolved (JSON-LD strings often carry them)."""
    return replace_entities(value, remove_illegal=True)


def decode_html(body: bytes | str, encoding: str | None = None) -> str:
    """The page as text: BOM, else the given encoding or meta charset, else a detected one."""
    if isinstance(body, bytes) and read_bom(body)[0] in (None, "utf-8"):
        # in 8-bit and UTF-8 pages a control byte is never part of a character: drop them fast
        text = _decode(body.translate(None, _CONTROL_BYTES), encoding)
    else:
        text = _CONTROL.sub("", _decode(body, encoding) if isinstance(body, bytes) else body)
    return repair_double_utf8(text)


def repair_double_utf8(text: str) -> str:
    """Text whose UTF-8 was decoded as Latin-1 or windows-1252 and encoded again, put back."""
    if sum(text.count(mark) for mark in _DOUBLE_UTF8_LEADS) < _DOUBLE_UTF8_MIN:  # most pages
        return text
    signs = len(_DOUBLE_UTF8_SIGN.findall(text))
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if signs < _DOUBLE_UTF8_MIN or 2 * signs < _DOUBLE_UTF8_SHARE * non_ascii:
        return text  # real accented text (Czech, Danish...) with a few look-alike pairs
    return ftfy.fix_encoding(text)


def _decode(body: bytes, encoding: str | None) -> str:
    """Declared or given encoding first; a declaration the bytes contradict is overruled."""
    header = f"text/html; charset={encoding}" if encoding else None
    used, text = html_to_unicode(header, body, auto_detect_fun=_detect_encoding)
    if read_bom(body)[0] is None and text.count("\ufffd") > _UNDECODED_SHARE * len(text):
        detected = _detect_encoding(body)
        if detected and detected != used:
            logger.debug("page declared %s but reads as %s", used, detected)
            return body.decode(detected, errors="replace")
    logger.debug("decoded page as %s", used)
    return text


def _detect_encoding(body: bytes) -> str | None:
    """UTF-8 when the bytes are valid UTF-8, else charset_normalizer's best guess."""
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(body).best()
    return best.encoding if best else None
