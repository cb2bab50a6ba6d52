"""One compiled keyword: whole-word matching with Arabic attached prefixes on normalised text."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .normalize import normalize

# Arabic marks that normalize() keeps are still part of a word, not a boundary.
_WORD_CHARS = r"\w\u0610-\u061A"
_NOT_BEFORE = rf"(?<![{_WORD_CHARS}])"
_NOT_AFTER = rf"(?![{_WORD_CHARS}])"
# Words of a phrase may be split by spaces or punctuation, but not by a paragraph break.
_SEPARATOR = rf"[^{_WORD_CHARS}\n]+"

_CONJUNCTION = "[وف]?"
# Preposition and/or article: ب ك ل, ال, بال كال, and لل (ل + ال, whose alef drops).
_PREFIX = _CONJUNCTION + "(?:[بك]?ال|[بكل]|لل)?"
_ARTICLE = "ال"
_ARABIC_LETTER = re.compile("[\u0621-\u064A\u066E-\u06D3\u06D5]")


@dataclass(frozen=True)
class Hit:
    """Where a keyword was found: field name, offset in the normalised field and the text found."""

    field: str
    position: int
    form: str


class Keyword:
    """A configured term compiled to one regex over normalised text."""

    def __init__(self, term: str) -> None:
        self.term = term
        words = re.findall(rf"[{_WORD_CHARS}]+", normalize(term))
        if not words:
            raise ValueError(f"keyword {term!r}: must contain a letter or digit")
        self.regex = re.compile(_NOT_BEFORE + _head(words[0]) + _tail(words[1:]) + _NOT_AFTER)

    def __repr__(self) -> str:
        return f"Keyword({self.term!r})"

    def search(self, texts: Mapping[str, str]) -> Hit | None:
        """Return the first hit in the given normalised fields, in their order, or None."""
        for field, text in texts.items():
            found = self.regex.search(text)
            if found:
                return Hit(field, found.start(), found.group())
        return None


def _head(word: str) -> str:
    """Pattern for the first word: Arabic words take attached prefixes."""
    if not _ARABIC_LETTER.match(word):
        return re.escape(word)
    plain = _PREFIX + re.escape(word)
    if word.startswith(_ARTICLE) and len(word) > len(_ARTICLE):
        # لِ + الحكومة is written للحكومة; the article is kept, only contracted.
        contracted = _CONJUNCTION + "لل" + re.escape(word[len(_ARTICLE):])
        return f"(?:{plain}|{contracted})"
    return plain


def _tail(words: list[str]) -> str:
    """Pattern for the remaining words of a phrase, in order."""
    return "".join(_SEPARATOR + re.escape(word) for word in words)
