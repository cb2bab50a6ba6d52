"""One article field as matched: its original text, folded once, and the way back to the original."""
from __future__ import annotations

from functools import cached_property

from crawler.article import Article, Related

from .keywords import TOKEN, Token, tokens
from .normalize import Origins, fold, original_span, origins, ta_to_ha

SNIPPET_WIDTH = 120
ELLIPSIS = "…"


class FieldText:
    """A field's text (list items joined by newlines), folded once; tokens and offsets on demand."""

    def __init__(self, name: str, original: str) -> None:
        self.name = name
        self.original = original
        self.folded = fold(original)

    @cached_property
    def vocabulary(self) -> set[str]:
        return set(TOKEN.findall(self.folded))

    @cached_property
    def tokens(self) -> list[Token]:
        return tokens(self.folded)

    @cached_property
    def normalized(self) -> str:
        """What `regex:` terms search: the folded text with ة → ه (same positions)."""
        return ta_to_ha(self.folded)

    @cached_property
    def _origin(self) -> Origins:
        return origins(self.original)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that folded to folded[start:end]."""
        return original_span(self.original, self._origin, start, end)


def field_text(article: Article, name: str) -> str:
    """The field as one string; paragraphs, sections and related titles each on their own line."""
    value = getattr(article, name)
    if isinstance(value, list):
        return "\n".join(item.title if isinstance(item, Related) else str(item) for item in value)
    return "" if value is None else str(value)


def snippet(text: str, start: int, end: int, width: int = SNIPPET_WIDTH) -> tuple[str, int]:
    """About `width` characters of the paragraph around text[start:end], cut at spaces.

    Returns the snippet and where the found text starts in it.
    """
    first = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    stop = len(text) if stop < 0 else stop
    room = max(width - (end - start), 0)
    left = max(first, start - room // 2)
    right = min(stop, max(end, left + width))
    left = max(first, min(start, right - width))
    if left > first:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < stop:
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    piece = text[left:right]
    skipped = len(piece) - len(piece.lstrip())
    before = ELLIPSIS if left > first else ""
    after = ELLIPSIS if right < stop else ""
    return before + piece.strip() + after, len(before) + start - left - skipped
