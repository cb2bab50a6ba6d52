"""Alert: what one matched article means for one topic, as stored in the outbox."""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from crawler.article import Article

ARTICLE = "article"
NOTICE = "notice"  # Rasid's own messages: a channel down or recovered
ALSO = "also"  # another site's copy of a story that already alerted (archives only)


@dataclass
class Alert:
    """One story matched by one topic, to be delivered to the topic's channels."""

    topic: str
    keywords: list[str]
    title: str
    url: str | None
    fingerprint: str
    channels: list[str]
    teaser: str = ""
    site: str | None = None
    published: str | None = None
    source: str | None = None
    lang: str | None = None
    story: str = ""
    forms: dict[str, str] = field(default_factory=dict)
    snippets: list[dict[str, Any]] = field(default_factory=list)
    kind: str = ARTICLE
    created: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        self.story = self.story or self.fingerprint

    @property
    def id(self) -> str:
        """Stable per story and topic: the same story never makes two alerts for one topic."""
        return hashlib.sha1(f"{self.topic}\0{self.story}".encode()).hexdigest()[:16]

    def delivery_id(self, channel: str) -> str:
        """Stable per story, topic and channel: what a receiver can deduplicate on."""
        return f"{self.id}-{channel}"

    @classmethod
    def for_match(cls, article: Article, match: Any, source: str | None = None,
                  story: str | None = None) -> Alert:
        return cls(
            topic=match.topic, keywords=list(match.keywords), forms=dict(match.forms),
            snippets=_snippets(match), title=article.title, teaser=article.teaser,
            url=article.url, site=article.site, published=article.published, lang=article.lang,
            fingerprint=article.fingerprint or "", story=story or "",
            channels=list(match.notify), source=source,
        )

    @classmethod
    def notice(cls, title: str, text: str, channels: list[str]) -> Alert:
        key = hashlib.sha1(f"{title}\0{time.time()}".encode()).hexdigest()[:16]
        return cls(topic="rasid", keywords=[], title=title, teaser=text, url=None,
                   fingerprint=key, channels=channels, kind=NOTICE)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, **asdict(self)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str | bytes) -> Alert:
        data = json.loads(raw)
        data.pop("id", None)
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _snippets(match: Any) -> list[dict[str, Any]]:
    """The matcher's hits as plain values (keyword, form, field, snippet), when it gives them."""
    hits = getattr(match, "hits", None) or []
    return [{k: getattr(h, k, None) for k in ("keyword", "form", "field", "snippet")} for h in hits]
