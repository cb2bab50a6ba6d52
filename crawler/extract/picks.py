"""Choosing each field from the layers that offer it, cheapest and most explicit first."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from lxml.html import HtmlElement

from crawler.article import Related
from crawler.extract.body import element_paragraphs
from crawler.extract.dates import parse_date
from crawler.extract.dom import caption_text, join_url
from crawler.extract.profile import Profile
from crawler.extract.text import clean_paragraphs, clean_text, fold, letters

STRUCTURED = ("json-ld", "microdata", "opengraph", "meta")
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•»*]+\s+|\s*[|•»]\s*")
_ELLIPSIS = ("...", "…")
MAX_SUFFIX_WORDS = 5

Candidate = tuple[str, Any]


class Picks:
    """The value chosen for each field and the layer it came from (what `--explain` shows)."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.layers: dict[str, str] = {}

    def pick(self, field: str, candidates: Iterable[Candidate], default: Any = "") -> Any:
        """The first non-empty candidate; a callable candidate is only computed when reached."""
        for layer, value in candidates:
            value = value() if callable(value) else value
            if value:
                return self.set(field, layer, value)
        self.values[field] = default
        return default

    def set(self, field: str, layer: str, value: Any) -> Any:
        self.values[field] = value
        self.layers[field] = layer
        return value


def structured(layers: dict[str, dict[str, Any]], key: str) -> list[Candidate]:
    """(layer, value) of one key in each structured layer, in layer order."""
    return [(name, layers[name].get(key)) for name in STRUCTURED]


def profile_values(profile: Profile | None, tree: HtmlElement, base_url: str) -> dict[str, Any]:
    """What a site profile's selectors find on the page, by field; its `remove` applied first."""
    if profile is None:
        return {}
    for node in profile.select_all(tree, "remove"):
        if isinstance(node, HtmlElement) and node.getparent() is not None:
            node.drop_tree()
    found: dict[str, Any] = {}
    readers: dict[str, Callable[[list[Any]], Any]] = {
        "title": _first_text, "teaser": _first_text,
        "image_caption": lambda nodes: next((t for n in nodes if (t := _caption(n))), ""),
        "body": lambda nodes: element_paragraphs([n for n in nodes if isinstance(n, HtmlElement)])
        + clean_paragraphs(n for n in nodes if isinstance(n, str)),
        "sections": _texts, "authors": _texts,
        "published": lambda nodes: next((d for n in nodes if (d := parse_date(_text(n)))), None),
        "related": lambda nodes: _links(nodes, base_url),
    }
    for field, read in readers.items():
        if (nodes := profile.select(tree, field)) and (value := read(nodes)):
            found[field] = value
    return found


def strip_site_name(title: str, site_names: list[str]) -> str:
    """The title without a leading or trailing site name ('Headline - Site', 'Site | Headline')."""
    names = {letters(n) for n in site_names if letters(n)}
    marks = list(_TITLE_SEPARATOR.finditer(title))
    if not names or not marks:
        return title
    if letters(title[: marks[0].start()]) in names:
        return title[marks[0].end():].strip() or title
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(title)
        if letters(title[mark.end(): end]) in names:
            return title[: mark.start()].strip() or title
    last = title[marks[-1].end():]
    if len(last.split()) <= MAX_SUFFIX_WORDS and any(n in letters(last) for n in names if len(n) > 3):
        return title[: marks[-1].start()].strip() or title
    return title


def whole(text: str, longer: list[str]) -> str:
    """A value some site cut short ('Headline...') replaced by the full text another layer has."""
    if not text.endswith(_ELLIPSIS):
        return text
    stem = letters(text.rstrip(".… "))
    return next((t for t in longer if letters(t).startswith(stem) and len(t) > len(text)), text)


def is_opening(description: str, body: list[str]) -> bool:
    """Whether a description is the body's first words cut short (a CMS's automatic excerpt)."""
    stem = letters(description.rstrip(".… "))
    opening = letters(" ".join(body[:2]))
    return bool(stem) and len(stem) < len(letters(body[0]) if body else "") and opening.startswith(stem)


def _text(node: Any) -> str:
    return clean_text(node.text_content() if isinstance(node, HtmlElement) else str(node))


def _caption(node: Any) -> str:
    return caption_text(node) if isinstance(node, HtmlElement) else clean_text(str(node))


def _first_text(nodes: list[Any]) -> str:
    return next((t for n in nodes if (t := _text(n))), "")


def _texts(nodes: list[Any]) -> list[str]:
    return list(dict.fromkeys(t for n in nodes if (t := _text(n))))


def _links(nodes: list[Any], base_url: str) -> list[Related]:
    """Related headlines from selected links, or from the links inside selected blocks."""
    anchors = [a for n in nodes if isinstance(n, HtmlElement)
               for a in ([n] if n.tag == "a" else n.xpath(".//a[@href]"))]
    related, seen = [], set()
    for a in anchors:
        title, url = _text(a), join_url(base_url, a.get("href", ""))
        if title and url and fold(title) not in seen:
            seen.add(fold(title))
            related.append(Related(title, url))
    return related
