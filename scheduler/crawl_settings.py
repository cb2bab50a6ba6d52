"""The Scrapy settings of a Rasid crawl, built from the YAML config."""
from __future__ import annotations

import socket
from typing import Any

from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.spiders.politeness import download_slots
from scheduler.config import Config
from scheduler.config.channels import parse_size
from scheduler.config.intervals import parse_interval


def consumer_name() -> str:
    """This host's name in Redis consumer groups: stable across restarts of the process."""
    return f"rasid@{socket.gethostname()}"


def topic_dicts(config: Config) -> list[dict[str, Any]]:
    """The topics as plain values (crawler.match.Topic keyword arguments)."""
    return [{"name": t.name, "keywords": list(t.keywords), "all": list(t.all),
             "exclude": list(t.exclude), "notify": list(t.notify),
             "fields": list(t.fields), "lang": list(t.lang)} for t in config.topics]


def _seconds(duration: str | None) -> float | None:
    return parse_interval(duration) if duration else None


def source_dict(s: Any) -> dict[str, Any]:
    """A source as plain values: durations in seconds, sizes in bytes."""
    return {"name": s.name, "kind": s.kind, "url": s.url, "follow": s.follow,
            "expect_every": _seconds(s.expect_every), "delay": _seconds(s.delay),
            "concurrency": s.concurrency, "timeout": _seconds(s.timeout),
            "max_size": parse_size(s.max_size) if s.max_size else None, "robots": s.robots,
            "paginate": s.paginate, "max_age": _seconds(s.max_age)}


def digests(config: Config) -> dict[str, str]:
    """Digest per topic ("topic"), per channel ("*/channel"); the topic's choice wins."""
    chosen = {f"*/{name}": c.digest for name, c in config.channels.items() if c.digest}
    chosen.update({t.name: t.digest for t in config.topics if t.digest})
    return chosen


def alert_policy(config: Config) -> dict[str, Any]:
    alerts = config.alerts
    return {"timezone": alerts.timezone, "retry_after": parse_interval(alerts.retry_after),
            "retry_max": parse_interval(alerts.retry_max),
            "dead_letter_after": parse_interval(alerts.dead_letter_after),
            "down_after": alerts.down_after}


def rasid_settings(config: Config, redis_url: str) -> dict[str, Any]:
    """The RASID_* settings the crawler's components read."""
    sources = [source_dict(s) for s in config.sources]
    return {
        "RASID_REDIS_URL": redis_url,
        "RASID_SOURCES": sources,
        "DOWNLOAD_SLOTS": download_slots(sources),
        "RASID_TOPICS": topic_dicts(config),
        "RASID_CHANNELS": {name: channel.model_dump() for name, channel in config.channels.items()},
        "RASID_DIGESTS": digests(config),
        "RASID_ALERTS": alert_policy(config),
        "RASID_OPS_CHANNELS": list(config.alerts.ops),
        "RASID_SOURCE_DOWN_AFTER": config.alerts.source_down_after,
        "RASID_SEED_DIR": str(config.output.seed_dir),
        "RASID_CONSUMER": consumer_name(),
        "RASID_PROFILES": [p.model_dump() for p in config.profiles],
        **dedup_settings(config),
    }


def dedup_settings(config: Config) -> dict[str, Any]:
    """Retention of the fetched, seen and alerted decisions; story detection; on_update topics."""
    dedup = config.dedup
    return {"RASID_FETCHED_DAYS": dedup.fetched_days, "RASID_SEEN_DAYS": dedup.seen_days,
            "RASID_ALERTED_DAYS": dedup.alerted_days,
            "RASID_NEAR_DUPLICATES": dedup.near_duplicates,
            "RASID_UPDATE_ALERT_TOPICS": [t.name for t in config.topics if t.on_update == "alert"]}


def crawler_settings(config: Config, redis_url: str, **overrides: Any) -> Settings:
    settings = get_project_settings() if _in_project() else Settings()
    if not _in_project():
        settings.setmodule("crawler.settings", priority="project")
    settings.setdict(rasid_settings(config, redis_url), priority="cmdline")
    settings.setdict(overrides, priority="cmdline")
    return settings


def _in_project() -> bool:
    from scrapy.utils.conf import closest_scrapy_cfg
    return bool(closest_scrapy_cfg())
