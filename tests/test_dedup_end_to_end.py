"""One alert per story however many sites carry it: the real CLI, Redis and two news sites."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import redis

from crawler.stores.stories import Report
from demo.site import NewsSite
from tests.conftest import rasid, write_config


def _alerts(path: Path, kind: str = "article") -> list[dict[str, Any]]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [a for a in map(json.loads, lines) if a.get("kind", "article") == kind]


def _reports(redis_url: str) -> dict[str, list[Report]]:
    client = redis.Redis.from_url(redis_url)
    return {k.decode(): [Report.from_json(r) for r in client.lrange(k, 0, -1)]
            for k in client.scan_iter("rasid:story:*:reports")}


def test_a_story_on_two_sites_alerts_once(tmp_path, site_config, news_site, webhook, redis_url):
    single = write_config(tmp_path / "single.yaml", **{
        **site_config, "channels": {"archive": f"jsonl://{tmp_path}/single.jsonl"}})
    assert rasid("once", "-c", str(single)).returncode == 0
    expected = _alerts(tmp_path / "single.jsonl")
    assert expected
    redis.Redis.from_url(redis_url).flushall()

    with NewsSite(published=3) as mirror:
        site_config["sources"].append({"name": "mirror-rss", "feed": f"{mirror.base_url}/rss.xml"})
        config = write_config(tmp_path / "rasid.yaml", **site_config)
        result = rasid("once", "-c", str(config))
        assert result.returncode == 0, result.stderr
        assert mirror.hits.get("/rss.xml") == 1 and news_site.hits.get("/rss.xml")
        mirror_articles = {a.path for a in mirror.articles}
        assert all(mirror.hits.get(path) == 1 for path in mirror_articles)  # both sites were read
        again = rasid("once", "-c", str(config))
        assert again.returncode == 0, again.stderr

    alerts = _alerts(tmp_path / "alerts.jsonl")
    assert Counter((a["topic"], a["title"]) for a in alerts) == Counter(
        (a["topic"], a["title"]) for a in expected)
    assert len(webhook.received) == len(alerts)
    also = _alerts(tmp_path / "alerts.jsonl", "also")  # the archive records the other copies
    assert Counter((a["topic"], a["title"]) for a in also) == Counter(
        (a["topic"], a["title"]) for a in expected)
    assert {a["source"] for a in also} <= {"site-rss", "mirror-rss"}
    status = json.loads(rasid("status", "--json", "-c", str(config)).stdout)
    assert status["stories"] and all(len(s["also_reported_by"]) == 1 for s in status["stories"])

    reports = _reports(redis_url)
    assert len(reports) == len({a["title"] for a in expected})
    for story in reports.values():
        assert {r.source for r in story} == {"site-rss", "mirror-rss"}
        assert len({r.url for r in story}) == 2
