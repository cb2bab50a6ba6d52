"""The seed format: an article as plain text, one block of fields after another (FORMAT.md)."""
from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.article import Article, Related

SECTIONS_HEADING = "أقسام"
RELATED_HEADING = "أخبار متعلقة"
ELLIPSIS = "..."
TEASER_LIMIT = 160

_NEWLINES = re.compile(r"[ \t]*(?:\r\n|\r|\n)+[ \t]*")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")


def render(article: Article) -> str:
    """The seed text of an article, without a trailing newline."""
    lines = [_line(article.title), "", _line(article.teaser), _line(article.image_caption), ""]
    lines += _lines(article.body)
    lines += ["", SECTIONS_HEADING, *_lines(article.sections)]
    lines += ["", RELATED_HEADING, *_lines(r.title for r in article.related)]
    return "\n".join(lines)


def parse(text: str) -> Article:
    """The article a seed text describes; tolerates CRLF, a trailing newline, missing blocks."""
    lines = [line.strip() for line in _LINE_BREAK.split(text.lstrip("\ufeff"))]
    lines += [""] * max(0, 5 - len(lines))
    title, teaser, caption = lines[0], lines[2], lines[3]
    # An empty caption may be written as an empty line or left out altogether.
    start = 4 if not caption and lines[4] else 5
    body, rest = _take_until(lines[start:], {SECTIONS_HEADING, RELATED_HEADING})
    sections, rest = _block(rest, SECTIONS_HEADING)
    related, _ = _block(rest, RELATED_HEADING)
    return Article(
        title=title,
        teaser=teaser,
        image_caption=caption,
        body=body,
        sections=sections,
        related=[Related(title) for title in related],
    )


def make_teaser(paragraphs: list[str], limit: int = TEASER_LIMIT) -> str:
    """The first paragraph's opening: whole words up to the one crossing `limit`, then '...'."""
    first = next((" ".join(p.split()) for p in paragraphs if p.strip()), "")
    if len(first) <= limit:
        return first
    cut = first.find(" ", limit)
    if cut == -1:
        return first
    return first[:cut].rstrip() + ELLIPSIS


def seed_filename(seq: int, fingerprint: str) -> str:
    """The file name of a seed document: 'NNN_<16 hex>.txt', the number zero padded to 3 digits."""
    if seq < 0:
        raise ValueError(f"seed number must not be negative, got {seq}")
    if not _FINGERPRINT.fullmatch(fingerprint):
        raise ValueError(f"fingerprint must be 16 lowercase hex digits, got {fingerprint!r}")
    return f"{seq:03d}_{fingerprint}.txt"


def _line(value: str) -> str:
    """A field on one line: inner newlines become single spaces."""
    return _NEWLINES.sub(" ", value).strip()


def _lines(values: Iterable[str]) -> list[str]:
    """Each non-empty value on its own line."""
    return [line for line in map(_line, values) if line]


def _take_until(lines: list[str], stops: set[str]) -> tuple[list[str], list[str]]:
    """The non-empty lines before the first stop line, and the lines from it on."""
    for i, line in enumerate(lines):
        if line in stops:
            return [x for x in lines[:i] if x], lines[i:]
    return [x for x in lines if x], []


def _block(lines: list[str], heading: str) -> tuple[list[str], list[str]]:
    """The items under `heading` when the lines start with it, and the lines after the block."""
    if not lines or lines[0] != heading:
        return [], lines
    return _take_until(lines[1:], {SECTIONS_HEADING, RELATED_HEADING})
