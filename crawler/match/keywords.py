"""Configured terms compiled once: word phrases (Arabic-aware forms) and `regex:` patterns."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .forms import ARTICLE, WordSpec, word_forms
from .normalize import fold, fold_pattern, original_span, origins

REGEX_PREFIX = "regex:"
TOKEN = re.compile(r"\w+")
Token = tuple[str, int, int]  # folded word, start, end
_APOSTROPHES = ("'", "’")


class Phrase:
    """A keyword of one or more words, matched token by token, in order and adjacent."""

    def __init__(self, term: str) -> None:
        self.term = term
        specs = _word_specs(term)
        if not specs:
            raise ValueError(f"keyword {term!r}: must contain a letter or digit")
        self.forms = [word_forms(spec) for spec in specs]
        self.possessive = specs[-1].word.isascii() and specs[-1].word.isalpha()

    def __repr__(self) -> str:
        return f"Phrase({self.term!r})"

    def match_at(self, tokens: list[Token], i: int, text: str) -> int | None:
        """End of the phrase in text when it starts at tokens[i] (whose first word matched)."""
        for j, forms in enumerate(self.forms[1:], start=i + 1):
            if j >= len(tokens) or tokens[j][0] not in forms or "\n" in text[tokens[j - 1][2]:tokens[j][1]]:
                return None
        last = i + len(self.forms) - 1
        end = tokens[last][2]
        following = tokens[last + 1] if last + 1 < len(tokens) else None
        if self.possessive and following and following[0] == "s" and text[end:following[1]] in _APOSTROPHES:
            end = following[2]  # oil's: report the possessive with the word
        return end


class RegexTerm:
    """A `regex:` term: a raw regular expression searched in the normalised text."""

    def __init__(self, term: str) -> None:
        self.term = term
        pattern = term[len(REGEX_PREFIX):].lstrip()
        try:
            self.regex = re.compile(fold_pattern(pattern), re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"bad regex: {exc}") from None

    def __repr__(self) -> str:
        return f"RegexTerm({self.term!r})"

    def search(self, text: str) -> tuple[int, int] | None:
        """The first non-empty match's span."""
        return next(((m.start(), m.end()) for m in self.regex.finditer(text) if m.end() > m.start()), None)


Term = Phrase | RegexTerm


def compile_term(term: str) -> Term:
    """A keyword/all/exclude term; ValueError says what is wrong with it."""
    return RegexTerm(term) if term.startswith(REGEX_PREFIX) else Phrase(term)


class PhraseIndex:
    """Every phrase by the forms of its first word, so one pass over a text finds them all."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self.phrases = list(phrases)
        self.by_first: dict[str, list[int]] = {}
        for number, phrase in enumerate(self.phrases):
            for form in phrase.forms[0]:
                self.by_first.setdefault(form, []).append(number)
        self.first_forms = frozenset(self.by_first)

    def search(self, tokens: list[Token], text: str) -> dict[int, tuple[int, int]]:
        """First span of each phrase found in the folded text (whose tokens are given), by number."""
        found: dict[int, tuple[int, int]] = {}
        for i, (word, start, _) in enumerate(tokens):
            for number in self.by_first.get(word, ()):
                if number not in found:
                    end = self.phrases[number].match_at(tokens, i, text)
                    if end is not None:
                        found[number] = (start, end)
        return found


def tokens(folded: str) -> list[Token]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(folded)]


def _word_specs(term: str) -> list[WordSpec]:
    folded = fold(term)
    words = tokens(folded)
    origin = origins(term)
    specs = []
    for number, (word, start, end) in enumerate(words):
        first, last = original_span(term, origin, start, end)
        written = _letters(term[first:last])
        specs.append(WordSpec(
            word, first=number == 0, last=number == len(words) - 1,
            has_article=written.startswith(("ال", "ٱل")) and word.startswith(ARTICLE) and len(word) > 2,
            maqsura=written.endswith("ى"),
        ))
    return specs


def _letters(text: str) -> str:
    """The text as written, without marks, tatweel or format characters."""
    return "".join(c for c in text if c != "ـ" and unicodedata.category(c) not in ("Mn", "Cf"))
