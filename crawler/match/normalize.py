"""Arabic and Latin text normalisation so keywords and article text compare alike."""
from __future__ import annotations

import re


def _span(first: int, last: int) -> range:
    return range(first, last + 1)


_DROPPED = [
    *_span(0x064B, 0x065F),  # tashkeel
    0x0670,  # superscript alef
    *_span(0x06D6, 0x06ED),  # Quranic annotation marks
    0x0640,  # tatweel
    0x200E, 0x200F, *_span(0x202A, 0x202E), *_span(0x2066, 0x2069),  # bidi controls
    *_span(0x200B, 0x200D), 0xFEFF, 0x2060,  # zero-width characters
]

_REPLACED = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
}

_TABLE = {**{cp: None for cp in _DROPPED}, **{ord(k): v for k, v in _REPLACED.items()}}

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Return `text` with Arabic marks, letter variants, digits, case and spacing unified."""
    return _SPACES.sub(" ", text.translate(_TABLE).casefold()).strip()
