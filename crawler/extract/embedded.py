"""Article HTML that a JavaScript app ships as data instead of markup (Next.js and the like)."""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree
from lxml.html import HtmlElement, fragment_fromstring

logger = logging.getLogger(__name__)

# Next.js App Router streams its data as `self.__next_f.push([1, "<chunk>"])`; long texts there are
# "T" rows ("24:T1b7b,<that many UTF-8 bytes of text>"). The Pages Router uses __NEXT_DATA__ JSON.
_PUSH = re.compile(r'self\.__next_f\.push\(\[\d+,\s*("(?:[^"\\]|\\.)*")\]\)')
_TEXT_ROW = re.compile(r"(?:^|\n)[0-9a-z]+:T([0-9a-f]+),")
_SCRIPTS = etree.XPath("//script[@id='__NEXT_DATA__']/text() | //script[contains(., '__next_f')]/text()")
_TEXT_PARAGRAPHS = "//p[not(ancestor::figcaption or ancestor::*[contains(@class, 'caption')])]"
MIN_PARAGRAPHS = 2


def embedded_paragraphs(tree: HtmlElement) -> list[str]:
    """The paragraphs of the largest HTML text in the page's embedded app data, or []."""
    best = max(_html_texts(tree), key=lambda text: text.count("<p"), default="")
    if best.count("<p") < MIN_PARAGRAPHS:
        return []
    try:
        fragment = fragment_fromstring(best, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    return [p.text_content() for p in fragment.xpath(_TEXT_PARAGRAPHS)]


def _html_texts(tree: HtmlElement) -> Iterator[str]:
    scripts = _SCRIPTS(tree)
    streamed = [script for script in scripts if "__next_f" in script]
    yield from _streamed_texts("".join(chunk for script in streamed for chunk in _chunks(script)))
    for script in scripts:
        if "__next_f" not in script:
            try:
                yield from (s for s in _strings(json.loads(script)) if "<p" in s)
            except (ValueError, RecursionError):
                logger.debug("unreadable __NEXT_DATA__")


def _chunks(script: str) -> Iterator[str]:
    for literal in _PUSH.findall(script):
        try:
            yield json.loads(literal)
        except ValueError:
            continue


def _streamed_texts(payload: str) -> Iterator[str]:
    """The "T" rows of a streamed payload (their length counts UTF-8 bytes)."""
    for row in _TEXT_ROW.finditer(payload):
        size = int(row.group(1), 16)
        yield payload[row.end(): row.end() + size].encode("utf-8")[:size].decode("utf-8", "ignore")


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)
