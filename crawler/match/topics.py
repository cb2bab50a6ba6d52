"""Topics (keywords plus all/exclude terms) and the matcher that checks articles against them."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crawler.article import Article, Related

from .keywords import Hit, Keyword
from .normalize import normalize

DEFAULT_FIELDS = ("title", "teaser", "body")


@dataclass
class Topic:
    """A watched topic: any keyword, every `all` term and no `exclude` term must match."""

    name: str
    keywords: list[str]
    all: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    notify: list[str] = field(default_factory=list)


@dataclass
class TopicMatch:
    """A topic an article matched: configured keywords found, the text found for each, targets."""

    topic: str
    keywords: list[str]
    forms: dict[str, str]
    notify: list[str]


Hits = dict[str, Hit | None]


class TopicMatcher:
    """Matches articles against topics on the normalised text of the chosen Article fields."""

    def __init__(self, topics: Sequence[Topic], fields: Sequence[str] = DEFAULT_FIELDS) -> None:
        unknown = [f for f in fields if f not in Article.__dataclass_fields__]
        if unknown:
            known = ", ".join(Article.__dataclass_fields__)
            raise ValueError(f"fields: unknown {', '.join(unknown)}; allowed: {known}")
        self.topics = list(topics)
        self.fields = tuple(fields)
        self._compiled: dict[str, Keyword] = {}
        for topic in self.topics:
            self._compile_topic(topic)

    def _compile_topic(self, topic: Topic) -> None:
        if not topic.keywords:
            raise ValueError(f"topic {topic.name!r}: keywords must not be empty")
        for term in [*topic.keywords, *topic.all, *topic.exclude]:
            if term not in self._compiled:
                try:
                    self._compiled[term] = Keyword(term)
                except ValueError as exc:
                    raise ValueError(f"topic {topic.name!r}: {exc}") from None

    def texts(self, article: Article) -> dict[str, str]:
        """Normalise each configured field of the article once."""
        return {name: _field_text(getattr(article, name)) for name in self.fields}

    def match(self, article: Article) -> list[TopicMatch]:
        """Return the topics the article matches, in configuration order."""
        texts = self.texts(article)
        matches = []
        for topic in self.topics:
            found = {k: h for k, h in self._search(topic.keywords, texts).items() if h}
            if found and self._passes(topic, texts):
                forms = {k: hit.form for k, hit in found.items()}
                matches.append(TopicMatch(topic.name, list(found), forms, list(topic.notify)))
        return matches

    def explain(self, article: Article) -> list[dict[str, Any]]:
        """Say for every topic whether it matched, where each term was found, and why."""
        texts = self.texts(article)
        return [self._explain_topic(topic, texts) for topic in self.topics]

    def _explain_topic(self, topic: Topic, texts: dict[str, str]) -> dict[str, Any]:
        keywords = self._search(topic.keywords, texts)
        all_terms = self._search(topic.all, texts)
        excluded = self._search(topic.exclude, texts)
        reason = _reason(keywords, all_terms, excluded)
        return {
            "topic": topic.name,
            "matched": reason.startswith("matched"),
            "keywords": _report(keywords),
            "all": _report(all_terms),
            "exclude": _report(excluded),
            "reason": reason,
        }

    def _search(self, terms: Iterable[str], texts: dict[str, str]) -> Hits:
        return {term: self._compiled[term].search(texts) for term in terms}

    def _passes(self, topic: Topic, texts: dict[str, str]) -> bool:
        def found(term: str) -> bool:
            return self._compiled[term].search(texts) is not None

        return all(map(found, topic.all)) and not any(map(found, topic.exclude))


def _field_text(value: object) -> str:
    """Normalised text of a field; list items (paragraphs, related titles) stay on own lines."""
    if isinstance(value, str):
        return normalize(value)
    if isinstance(value, list):
        return "\n".join(normalize(_item_text(item)) for item in value)
    return "" if value is None else normalize(str(value))


def _item_text(item: object) -> str:
    return item.title if isinstance(item, Related) else str(item)


def _reason(keywords: Hits, all_terms: Hits, excluded: Hits) -> str:
    """The one-line verdict shown by the CLI."""
    found = [term for term, hit in keywords.items() if hit]
    if not found:
        return "no keyword found"
    vetoes = [term for term, hit in excluded.items() if hit]
    if vetoes:
        return f"excluded by {vetoes[0]}"
    missing = [term for term, hit in all_terms.items() if not hit]
    if missing:
        return f"missing all-term {missing[0]}"
    return "matched on " + ", ".join(found)


def _report(hits: Hits) -> list[dict[str, Any]]:
    """Per-term rows for explain(): found or not, and where."""
    return [
        {
            "keyword": term,
            "found": hit is not None,
            "form": hit.form if hit else None,
            "field": hit.field if hit else None,
            "position": hit.position if hit else None,
        }
        for term, hit in hits.items()
    ]
