"""ArticleItem: an extracted article on its way through the pipelines."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crawler.article import Article


@dataclass
class ArticleItem:
    """The article, the source it came from, and what the pipelines decided about it."""

    article: Article
    source: str
    feed_guid: str | None = None
    seen_urls: list[str] = field(default_factory=list)
    matches: list[Any] = field(default_factory=list)
    alerts: int = 0
    seed_path: str | None = None
    story_id: str | None = None  # StoryPipeline: the story told, same across sites and updates
    duplicate_of: dict[str, Any] | None = None  # the story's first report: source, site, url, time
    updated: bool = False  # same URL fetched before with other text
    content_hash: str | None = None  # 8 hex digits of the normalised title and body
    story_keys: dict[str, str] = field(default_factory=dict)  # topic -> key of its alerted record
