"""Arabic and Latin text normalisation so keywords and article text compare alike."""
from __future__ import annotations

import re
import unicodedata
from itertools import repeat

TA_MARBUTA = "ة"

# Replaced before and after compatibility decomposition; "" drops the character.
_REPLACED = {
    "ـ": "",  # tatweel
    "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ٵ": "ا",  # أ إ آ decompose to ا + a dropped mark
    "ؤ": "ء", "ئ": "ء",  # one hamza whatever its seat: مسؤول = مسئول, شؤون = شئون
    "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ے": "ي",  # alef maqsura, Persian/Urdu yeh
    "ک": "ك", "ڪ": "ك",  # Persian keheh, swash kaf
    "ۀ": "ه", "ە": "ه", "ھ": "ه", "ہ": "ه", "ۃ": TA_MARBUTA,  # Persian/Urdu heh forms
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
}
# Marks (tashkeel, Latin accents once decomposed) and format characters (bidi, zero-width).
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})


def _fold_one(char: str) -> str:
    if char in _REPLACED:
        return _REPLACED[char]
    if char.isspace():
        return "\n" if char == "\n" else " "
    out = []
    for part in unicodedata.normalize("NFKD", char.casefold()):
        if part in _REPLACED:
            out.append(_REPLACED[part])
        elif unicodedata.category(part) not in _DROPPED_CATEGORIES:
            out.append(" " if part.isspace() else part)
    return "".join(out)


class _FoldTable(dict[int, str]):
    """str.translate table that folds each character once, on first sight, then remembers it."""

    def __missing__(self, codepoint: int) -> str:
        folded = self[codepoint] = _fold_one(chr(codepoint))
        return folded


_FOLD = _FoldTable()
_SPACES = re.compile(r"\s+")
_TA_TO_HA = str.maketrans(TA_MARBUTA, "ه")


def fold(text: str) -> str:
    """Normalise text for matching but keep ة and spacing, so positions stay easy to map back."""
    return text.translate(_FOLD)


def ta_to_ha(folded: str) -> str:
    """The documented last step: ة → ه (same length, same positions)."""
    return folded.translate(_TA_TO_HA)


def normalize(text: str) -> str:
    """Return `text` with Arabic marks, letter variants, digits, case and spacing unified."""
    return _SPACES.sub(" ", ta_to_ha(fold(text))).strip()


def fold_pattern(pattern: str) -> str:
    """Fold the non-ASCII characters of a regex, leaving its ASCII syntax (\\S, \\W, ...) alone."""
    return "".join(c if c.isascii() else ta_to_ha(_FOLD[ord(c)]) for c in pattern)


def origins(text: str) -> list[int]:
    """For each character of fold(text), the index of the character of text it came from."""
    out: list[int] = []
    for index, char in enumerate(text):
        out.extend(repeat(index, len(_FOLD[ord(char)])))
    out.append(len(text))
    return out


def original_span(text: str, origin: list[int], start: int, end: int) -> tuple[int, int]:
    """The span of text that folded to fold(text)[start:end], with the last letter's marks."""
    first, last = origin[start], origin[end - 1] + 1
    while last < len(text) and _is_trailing_mark(text[last]):
        last += 1
    return first, last


def _is_trailing_mark(char: str) -> bool:
    return char == "ـ" or unicodedata.category(char) in ("Mn", "Me")
