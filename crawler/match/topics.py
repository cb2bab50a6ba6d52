"""Topics (keywords plus all/exclude terms, fields, languages) and the matcher that checks articles."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from crawler.article import Article

from .explain import explain_topic
from .keywords import Phrase, PhraseIndex, RegexTerm, Term, compile_term
from .normalize import normalize
from .text import FieldText, field_text, snippet

# The fields a topic may name, in the order they are searched (the first hit is the one reported).
MATCH_FIELDS = ("title", "teaser", "body", "image_caption", "sections")
DEFAULT_FIELDS = MATCH_FIELDS
_ORDER = (*MATCH_FIELDS, "related")


@dataclass
class Topic:
    """A watched topic: any keyword, every `all` term and no `exclude` term must match."""

    name: str
    keywords: list[str]
    all: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    notify: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # empty: the matcher's default fields
    lang: list[str] = field(default_factory=list)  # empty: every language


@dataclass(frozen=True)
class MatchHit:
    """Where a term was found: the exact original text, its field, position and a snippet around it."""

    keyword: str
    form: str
    field: str
    position: int  # offset of form in the field's text (list fields: items joined by "\n")
    snippet: str
    offset: int  # form is snippet[offset:offset + len(form)]


@dataclass
class TopicMatch:
    """A topic an article matched: keywords found, their normalised forms, where, and targets."""

    topic: str
    keywords: list[str]
    forms: dict[str, str]
    notify: list[str]
    hits: list[MatchHit] = field(default_factory=list)


class ArticleHits:
    """Finds terms in one article; each field is folded and scanned at most once."""

    def __init__(self, article: Article, index: PhraseIndex, numbers: dict[str, int]) -> None:
        self.article = article
        self.index = index
        self.numbers = numbers
        self._fields: dict[str, FieldText] = {}
        self._phrases: dict[str, dict[int, tuple[int, int]]] = {}

    def text(self, name: str) -> FieldText:
        if name not in self._fields:
            self._fields[name] = FieldText(name, field_text(self.article, name))
        return self._fields[name]

    def find(self, term: Term, fields: Sequence[str]) -> MatchHit | None:
        """The term's first hit in the first of the fields that has one."""
        for name in fields:
            span = self._span(term, name)
            if span:
                return self._hit(term.term, self.text(name), *span)
        return None

    def _span(self, term: Term, name: str) -> tuple[int, int] | None:
        text = self.text(name)
        if isinstance(term, RegexTerm):
            return term.search(text.normalized)
        if name not in self._phrases:
            self._phrases[name] = self.index.search(text.vocabulary, text.tokens, text.folded)
        return self._phrases[name].get(self.numbers[term.term])

    def _hit(self, term: str, text: FieldText, start: int, end: int) -> MatchHit:
        first, last = text.original_span(start, end)
        shown, offset = snippet(text.original, first, last)
        return MatchHit(term, text.original[first:last], text.name, first, shown, offset)


class TopicMatcher:
    """Matches articles against topics on the normalised text of each topic's fields."""

    def __init__(self, topics: Sequence[Topic], fields: Sequence[str] = DEFAULT_FIELDS) -> None:
        self.topics = list(topics)
        self.fields = _ordered(fields, "fields")
        self._terms: dict[str, Term] = {}
        for topic in self.topics:
            self._compile_topic(topic)
        phrases = [t for t in self._terms.values() if isinstance(t, Phrase)]
        self._index = PhraseIndex(phrases)
        self._numbers = {phrase.term: number for number, phrase in enumerate(phrases)}
        self._topic_fields = {
            t.name: _ordered(t.fields, f"topic {t.name!r}: fields") if t.fields else self.fields
            for t in self.topics
        }

    def _compile_topic(self, topic: Topic) -> None:
        if not topic.keywords:
            raise ValueError(f"topic {topic.name!r}: keywords must not be empty")
        for term in [*topic.keywords, *topic.all, *topic.exclude]:
            if term not in self._terms:
                try:
                    self._terms[term] = compile_term(term)
                except ValueError as exc:
                    raise ValueError(f"topic {topic.name!r}: {exc}") from None

    def hits(self, article: Article) -> ArticleHits:
        """A per-article search state: fields folded on first use, shared by every topic."""
        return ArticleHits(article, self._index, self._numbers)

    def find(self, hits: ArticleHits, topic: Topic, terms: Sequence[str]) -> dict[str, MatchHit | None]:
        """Each term's first hit in the topic's fields, or None."""
        fields = self._topic_fields[topic.name]
        return {term: hits.find(self._terms[term], fields) for term in terms}

    def match(self, article: Article) -> list[TopicMatch]:
        """Return the topics the article matches, in configuration order."""
        hits = self.hits(article)
        return [m for topic in self.topics if (m := self._match_topic(hits, topic))]

    def _match_topic(self, hits: ArticleHits, topic: Topic) -> TopicMatch | None:
        if not watches_language(topic, hits.article.lang):
            return None
        found = [h for h in self.find(hits, topic, topic.keywords).values() if h]
        if not found or not self._passes(hits, topic):
            return None
        forms = {h.keyword: normalize(h.form) for h in found}
        return TopicMatch(topic.name, [h.keyword for h in found], forms, list(topic.notify), found)

    def _passes(self, hits: ArticleHits, topic: Topic) -> bool:
        fields = self._topic_fields[topic.name]
        return (all(hits.find(self._terms[t], fields) for t in topic.all)
                and not any(hits.find(self._terms[t], fields) for t in topic.exclude))

    def explain(self, article: Article) -> list[dict[str, Any]]:
        """Say for every topic whether it matched, where each term was found, and why."""
        hits = self.hits(article)
        return [explain_topic(self, hits, topic) for topic in self.topics]


def watches_language(topic: Topic, lang: str | None) -> bool:
    """True when the topic has no lang list, the article's language is unknown, or it is listed."""
    if not topic.lang or not lang:
        return True
    code = lang.strip().lower().replace("_", "-")
    return any(code == want.lower() or code.split("-")[0] == want.lower() for want in topic.lang)


def _ordered(fields: Sequence[str], what: str) -> tuple[str, ...]:
    known = Article.__dataclass_fields__
    unknown = [f for f in fields if f not in known]
    if unknown:
        raise ValueError(f"{what}: unknown {', '.join(unknown)}; allowed: {', '.join(known)}")
    return tuple(sorted(set(fields), key=lambda f: _ORDER.index(f) if f in _ORDER else len(_ORDER)))
