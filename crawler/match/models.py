"""What matching works with: Topic (from the config) and what it yields, TopicMatch and MatchHit."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The fields a topic may name, in the order they are searched (the first hit is the one reported).
MATCH_FIELDS = ("title", "teaser", "body", "image_caption", "sections")
DEFAULT_FIELDS = MATCH_FIELDS
FIELD_ORDER = (*MATCH_FIELDS, "related")


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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Topic:
        """A topic from plain values; keys that are not about matching (digest, ...) are ignored."""
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


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



def watches_language(topic: Topic, lang: str | None) -> bool:
    """True when the topic has no lang list, the article's language is unknown, or it is listed."""
    if not topic.lang or not lang:
        return True
    code = lang.strip().lower().replace("_", "-")
    return any(code == want.lower() or code.split("-")[0] == want.lower() for want in topic.lang)
