"""TopicMatcher: checks articles against topics, folding and scanning each field once."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crawler.article import Article

from .explain import explain_topic
from .keywords import Phrase, PhraseIndex, RegexTerm, Term, compile_term
from .models import DEFAULT_FIELDS, FIELD_ORDER, MATCH_FIELDS, MatchHit, Topic, TopicMatch, watches_language
from .normalize import normalize
from .text import FieldText, field_text, snippet

__all__ = ["MATCH_FIELDS", "ArticleHits", "MatchHit", "Topic", "TopicMatch", "TopicMatcher"]


class ArticleHits:
    """Finds terms in one article: each field folded and scanned once, for every phrase at once."""

    def __init__(self, article: Article, matcher: TopicMatcher) -> None:
        self.article = article
        self.matcher = matcher
        self._fields: dict[str, FieldText] = {}
        self._phrases: dict[int, dict[str, tuple[int, int]]] | None = None

    def text(self, name: str) -> FieldText:
        if name not in self._fields:
            self._fields[name] = FieldText(name, field_text(self.article, name))
        return self._fields[name]

    def find(self, term: Term, fields: Sequence[str]) -> MatchHit | None:
        """The term's first hit in the first of the fields that has one."""
        found = self._spans(term, fields)
        if found is None:
            return None
        name, (start, end) = found
        return self._hit(term.term, self.text(name), start, end)

    def has(self, term: Term, fields: Sequence[str]) -> bool:
        """Whether the term is in any of the fields (no snippet built)."""
        return self._spans(term, fields) is not None

    def _spans(self, term: Term, fields: Sequence[str]) -> tuple[str, tuple[int, int]] | None:
        if isinstance(term, RegexTerm):
            spans = {name: span for name in fields if (span := term.search(self.text(name).normalized))}
        else:
            spans = self._phrase_spans().get(self.matcher.phrase_number(term), {})
        return next(((name, spans[name]) for name in fields if name in spans), None)

    def _phrase_spans(self) -> dict[int, dict[str, tuple[int, int]]]:
        """Phrase number -> field -> first span, over every field any topic searches."""
        if self._phrases is None:
            self._phrases = {}
            index = self.matcher.index
            for name in self.matcher.searched_fields:
                text = self.text(name)
                if text.vocabulary.isdisjoint(index.first_forms):
                    continue  # the common case: no word of the field starts any phrase
                for number, span in index.search(text.tokens, text.folded).items():
                    self._phrases.setdefault(number, {})[name] = span
        return self._phrases

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
        self.index = PhraseIndex(phrases)
        self._numbers = {phrase.term: number for number, phrase in enumerate(phrases)}
        self._topic_fields = {
            t.name: _ordered(t.fields, f"topic {t.name!r}: fields") if t.fields else self.fields
            for t in self.topics
        }
        self.searched_fields = _ordered([f for fs in self._topic_fields.values() for f in fs], "fields")

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
        return ArticleHits(article, self)

    def phrase_number(self, phrase: Phrase) -> int:
        return self._numbers[phrase.term]

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
        return (all(hits.has(self._terms[t], fields) for t in topic.all)
                and not any(hits.has(self._terms[t], fields) for t in topic.exclude))

    def explain(self, article: Article) -> list[dict[str, Any]]:
        """Say for every topic whether it matched, where each term was found, and why."""
        hits = self.hits(article)
        return [explain_topic(self, hits, topic) for topic in self.topics]


def _ordered(fields: Sequence[str], what: str) -> tuple[str, ...]:
    known = Article.__dataclass_fields__
    unknown = [f for f in fields if f not in known]
    if unknown:
        raise ValueError(f"{what}: unknown {', '.join(unknown)}; allowed: {', '.join(known)}")
    rank = {name: number for number, name in enumerate(FIELD_ORDER)}
    return tuple(sorted(set(fields), key=lambda f: rank.get(f, len(rank))))
