"""Atom feeds of matched articles, so any feed reader can follow Rasid."""
from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from feedgen.feed import FeedGenerator


def _when(value: str | None) -> datetime:
    try:
        moment = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _content(article: dict[str, Any]) -> str:
    """The seed fields as HTML: caption, body paragraphs, sections, related headlines."""
    parts = []
    if article.get("image_caption"):
        parts.append(f"<p><em>{escape(article['image_caption'])}</em></p>")
    parts += [f"<p>{escape(p)}</p>" for p in article.get("body") or []]
    if article.get("sections"):
        parts.append(f"<p>أقسام: {escape('، '.join(article['sections']))}</p>")
    related = [r for r in article.get("related") or [] if r.get("title")]
    if related:
        items = "".join(
            f'<li><a href="{escape(r["url"])}">{escape(r["title"])}</a></li>' if r.get("url")
            else f"<li>{escape(r['title'])}</li>" for r in related)
        parts.append(f"<p>أخبار متعلقة</p><ul>{items}</ul>")
    return "\n".join(parts)


def render_atom(articles: list[dict[str, Any]], feed_url: str, topic: str | None) -> bytes:
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(f"Rasid: {topic}" if topic else "Rasid: all topics")
    feed.link(href=feed_url, rel="self")
    feed.updated(max((_when(a.get("published")) for a in articles),
                     default=datetime.now(UTC)))
    for article in reversed(articles):  # feedgen puts the last added first
        entry = feed.add_entry()
        entry.id(f"urn:rasid:{article.get('fingerprint') or article.get('url')}")
        entry.title(article.get("title") or article.get("url") or "")
        if article.get("url"):
            entry.link(href=article["url"])
        entry.updated(_when(article.get("published")))
        if article.get("published"):
            entry.published(_when(article["published"]))
        entry.summary(article.get("teaser") or "")
        entry.content(_content(article), type="html")
        for name in article.get("topics") or []:
            entry.category(term=name)
        for author in article.get("authors") or []:
            entry.author(name=author)
    return feed.atom_str(pretty=True)
