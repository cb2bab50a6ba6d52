"""The alert channels: Apprise for every URL, with Rasid's console:// and jsonl:// registered."""
from __future__ import annotations

import json
import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import apprise
from apprise.decorators import notify

from crawler.alerts.render import Message

logger = logging.getLogger(__name__)
_write_lock = threading.Lock()


@notify(on="console", name="Rasid console")
def _console(body: str, title: str, *args: Any, **kwargs: Any) -> bool:
    """Print one readable alert on stdout."""
    with _write_lock:
        sys.stdout.write(f"\n🔔 {title}\n{body}\n")
        sys.stdout.flush()
    return True


@notify(on="jsonl", name="Rasid JSON lines")
def _jsonl(body: str, title: str, notify_type: str, meta: dict[str, Any], *args: Any,
           **kwargs: Any) -> bool:
    """Append each alert as one JSON object per line (a digest is several; text is wrapped)."""
    path = Path(meta.get("fullpath") or "/alerts.jsonl")
    try:
        lines = [json.dumps(json.loads(line), ensure_ascii=False) for line in body.splitlines()]
    except ValueError:
        lines = [json.dumps({"title": title, "body": body}, ensure_ascii=False)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with _write_lock:
        for line in lines:
            append_line(path, line)
    return True


def append_line(path: Path, line: str) -> None:
    """One write of one whole line; a half line left by a crash is cut off first."""
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            _drop_partial_line(fd, size)
        os.write(fd, (line + "\n").encode("utf-8"))
    finally:
        os.close(fd)


def _drop_partial_line(fd: int, size: int) -> None:
    start = max(0, size - 1_000_000)
    tail = os.pread(fd, size - start, start)
    cut = tail.rfind(b"\n")
    os.ftruncate(fd, start + cut + 1 if cut >= 0 else start)
    logger.warning("dropped a half-written line at the end of an alert archive")


def apprise_url(url: str) -> str:
    """The URL given to Apprise: a jsonl path is made absolute (relative to the working dir)."""
    if not url.startswith("jsonl://"):
        return url
    path = Path(url[len("jsonl://"):] or "alerts.jsonl")
    return f"jsonl://localhost{path.resolve()}"


@dataclass
class Channel:
    """A named alert destination."""

    name: str
    scheme: str
    notifier: apprise.Apprise
    masked_url: str

    async def send(self, message: Message) -> bool:
        return bool(await self.notifier.async_notify(
            title=message.title, body=message.body, body_format=message.format))


def build_channel(name: str, url: str) -> Channel:
    notifier = apprise.Apprise()
    if not notifier.add(apprise_url(url)):
        raise ValueError(f"channel {name}: not a valid Apprise URL (scheme {urlsplit(url).scheme!r})")
    return Channel(name, urlsplit(url).scheme, notifier, notifier[0].url(privacy=True))


def build_channels(urls: dict[str, str]) -> dict[str, Channel]:
    return {name: build_channel(name, url) for name, url in urls.items()}
