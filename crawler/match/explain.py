"""Why a topic matched an article or not: the report behind `rasid match`."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import MatchHit, Topic, watches_language

if TYPE_CHECKING:
    from .topics import ArticleHits, TopicMatcher

Found = dict[str, MatchHit | None]


def explain_topic(matcher: TopicMatcher, hits: ArticleHits, topic: Topic) -> dict[str, Any]:
    """Every term of the topic with where it was found, and the one-line verdict."""
    keywords = matcher.find(hits, topic, topic.keywords)
    all_terms = matcher.find(hits, topic, topic.all)
    excluded = matcher.find(hits, topic, topic.exclude)
    lang = hits.article.lang
    if watches_language(topic, lang):
        reason = _reason(keywords, all_terms, excluded)
    else:
        reason = f"language {lang} not watched ({', '.join(topic.lang)})"
    return {
        "topic": topic.name,
        "matched": reason.startswith("matched"),
        "keywords": _report(keywords),
        "all": _report(all_terms),
        "exclude": _report(excluded),
        "reason": reason,
    }


def _reason(keywords: Found, all_terms: Found, excluded: Found) -> str:
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


def _report(found: Found) -> list[dict[str, Any]]:
    """Per-term rows: found or not, the original text found, field, position, snippet."""
    return [
        {
            "keyword": term,
            "found": hit is not None,
            "form": hit.form if hit else None,
            "field": hit.field if hit else None,
            "position": hit.position if hit else None,
            "snippet": hit.snippet if hit else None,
        }
        for term, hit in found.items()
    ]
