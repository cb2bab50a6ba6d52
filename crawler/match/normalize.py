"""Arabic and Latin text normalisation so keywords and article text compare alike."""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

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


class _FoldTable(dict[int, "int | str"]):
    """str.translate table that folds each character once, on first sight, then remembers it.

    It also remembers the characters that do not fold to exactly one character (marks, bidi
    controls, ligatures), so positions can be mapped back by looking at those alone.
    """

    def __init__(self) -> None:
        super().__init__()
        self.irregular: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def __missing__(self, codepoint: int) -> int | str:
        folded = _fold_one(chr(codepoint))
        if len(folded) != 1:
            self.irregular.add(chr(codepoint))
            self._pattern = None
        # An ordinal translates faster than a one-character string.
        value = self[codepoint] = ord(folded) if len(folded) == 1 else folded
        return value

    def of(self, char: str) -> str:
        """What one character folds to."""
        value = self[ord(char)]
        return chr(value) if isinstance(value, int) else value

    def irregular_pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            chars = "".join(sorted(self.irregular)) or "\x00"
            self._pattern = re.compile(f"[{re.escape(chars)}]")
        return self._pattern


_FOLD = _FoldTable()
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Normalise text for matching but keep ة and spacing, so positions stay easy to map back."""
    return text.translate(_FOLD)


def ta_to_ha(folded: str) -> str:
    """The documented last step: ة → ه (same length, same positions)."""
    return folded.replace(TA_MARBUTA, "ه")


def normalize(text: str) -> str:
    """Return `text` with Arabic marks, letter variants, digits, case and spacing unified."""
    return _SPACES.sub(" ", ta_to_ha(fold(text))).strip()


def fold_pattern(pattern: str) -> str:
    """Fold the non-ASCII characters of a regex, leaving its ASCII syntax (\\S, \\W, ...) alone."""
    return "".join(c if c.isascii() else ta_to_ha(_FOLD.of(c)) for c in pattern)


class Origins:
    """Maps a position in fold(text) back to the index of the character of text it came from."""

    def __init__(self, text: str) -> None:
        for char in set(text):  # make sure every character has been folded once
            _FOLD.of(char)
        # Breakpoints (folded position, original index, step): step 1 runs over regular
        # characters, step 0 covers the output of one irregular character.
        self.folded, self.points = [0], [(0, 1)]
        done = position = 0
        for found in _FOLD.irregular_pattern().finditer(text):
            index = found.start()
            position += index - done
            self._add(position, index, 0)
            position += len(_FOLD.of(text[index]))
            done = index + 1
            self._add(position, done, 1)

    def _add(self, position: int, index: int, step: int) -> None:
        if self.folded[-1] == position:
            self.folded.pop()
            self.points.pop()
        self.folded.append(position)
        self.points.append((index, step))

    def __getitem__(self, position: int) -> int:
        at = bisect_right(self.folded, position) - 1
        index, step = self.points[at]
        return index + step * (position - self.folded[at])


def origins(text: str) -> Origins:
    """For each character of fold(text), the index of the character of text it came from."""
    return Origins(text)


def original_span(text: str, origin: Origins, start: int, end: int) -> tuple[int, int]:
    """The span of text that folded to fold(text)[start:end], with the last letter's marks."""
    first, last = origin[start], origin[end - 1] + 1
    while last < len(text) and _is_trailing_mark(text[last]):
        last += 1
    return first, last


def _is_trailing_mark(char: str) -> bool:
    return char == "ـ" or unicodedata.category(char) in ("Mn", "Me")
