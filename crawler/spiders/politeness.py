"""Per-source politeness: request meta for timeout, size and robots.txt; download slots per host."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def politeness(source: dict[str, Any]) -> dict[str, Any]:
    """Request meta overriding the crawl's defaults for this source's requests."""
    meta: dict[str, Any] = {}
    if source.get("timeout"):
        meta["download_timeout"] = float(source["timeout"])
    if source.get("max_size"):
        meta["download_maxsize"] = int(source["max_size"])
    if source.get("robots") is False:
        meta["dont_obey_robotstxt"] = True
    return meta


def download_slots(sources: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """DOWNLOAD_SLOTS for sources that set `delay` or `concurrency` (keyed by their host)."""
    slots: dict[str, dict[str, Any]] = {}
    for source in sources:
        slot = {k: v for k, v in (("delay", source.get("delay")),
                                  ("concurrency", source.get("concurrency"))) if v is not None}
        host = urlsplit(source["url"]).hostname
        if slot and host:
            slots.setdefault(host, {}).update(slot)
    return slots
