"""Alert: what one matched article means for one topic, as stored in the outbox."""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from crawler.article import Article


@dataclass
class Alert:
    """One article matched by one topic, to be delivered to the topic's channels."""

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
    forms: dict[str, str] = field(default_factory=dict)
    created: float = field(default_factory=time.time)

    @property
    def id(self) -> str:
        """Stable per story and topic: the same article never makes two alerts for one topic."""
        return hashlib.sha1(f"{self.topic}\0{self.fingerprint}".encode()).hexdigest()[:16]

    @property
    def dedup_key(self) -> str:
        return f"{self.topic}:{self.fingerprint}"

    @classmethod
    def for_match(cls, article: Article, match: Any, source: str | None = None) -> Alert:
        return cls(
            topic=match.topic, keywords=list(match.keywords), forms=dict(match.forms),
            title=article.title, teaser=article.teaser, url=article.url, site=article.site,
            published=article.published, fingerprint=article.fingerprint or "",
            channels=list(match.notify), source=source,
        )

    def to_json(self) -> str:
        return json.dumps({"id": self.id, **asdict(self)}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str | bytes) -> Alert:
        data = json.loads(raw)
        data.pop("id", None)
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
