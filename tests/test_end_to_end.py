"""From a YAML config to delivered alerts: the real CLI, Redis, fixture site and webhook."""
from __future__ import annotations

import json
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import redis

from crawler.seed import parse
from tests.conftest import rasid, start_daemon, wait_for, write_config


def _alerts(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _pairs(alerts: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter((a["topic"], a["url"]) for a in alerts)


def test_once_twice_alerts_each_article_once(tmp_path, site_config, news_site, webhook):
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    first = rasid("once", "-c", str(config))
    assert first.returncode == 0, first.stderr
    archive = _alerts(tmp_path / "alerts.jsonl")
    assert archive, first.stderr
    assert max(_pairs(archive).values()) == 1
    assert len(webhook.received) == len(archive)
    assert {a["topic"] for a in archive} == {"isis", "economy"}
    assert all(a["url"].startswith(news_site.base_url) for a in archive)

    second = rasid("once", "-c", str(config))
    assert second.returncode == 0, second.stderr
    assert len(_alerts(tmp_path / "alerts.jsonl")) == len(archive)
    assert len(webhook.received) == len(archive)
    assert news_site.conditional_hits >= 1  # the unchanged feed answered 304


def test_matched_articles_are_written_in_seed_format(tmp_path, site_config):
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    assert rasid("once", "-c", str(config)).returncode == 0
    files = sorted((tmp_path / "articles").glob("*.txt"))
    urls = {a["url"] for a in _alerts(tmp_path / "alerts.jsonl")}
    assert len(files) == len(urls)
    for number, path in enumerate(files):
        assert path.name.startswith(f"{number:03d}_")
        article = parse(path.read_text(encoding="utf-8"))
        assert article.title and article.body and article.teaser


def test_failed_delivery_is_kept_and_retried(tmp_path, site_config, webhook):
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    webhook.status = 503
    assert rasid("once", "-c", str(config)).returncode == 0
    archived = _alerts(tmp_path / "alerts.jsonl")
    assert archived and not webhook.received  # the archive channel is not held up by the hook

    webhook.status = 200
    assert rasid("once", "-c", str(config)).returncode == 0
    assert sorted((m["title"], m["message"].split(" · ")[-1].split("\n")[0])
                  for m in webhook.received) == sorted((a["title"], a["topic"]) for a in archived)
    assert len(_alerts(tmp_path / "alerts.jsonl")) == len(archived)  # no second copy


def test_unreachable_source_does_not_stop_the_others(tmp_path, site_config, webhook):
    site_config["sources"].insert(0, {"name": "down", "feed": "http://127.0.0.1:9/rss.xml"})
    site_config["sources"].append({"name": "missing", "feed": site_config["sources"][1]["feed"]
                                   .replace("/rss.xml", "/status/404")})
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    result = rasid("once", "-c", str(config))
    assert result.returncode == 1
    assert "down" in result.stderr and "missing" in result.stderr
    assert webhook.received


def test_once_polls_only_the_named_source(tmp_path, site_config, news_site):
    site_config["sources"].append({"name": "site-atom", "feed": f"{news_site.base_url}/atom.xml"})
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    assert rasid("once", "-c", str(config), "--source", "site-atom").returncode == 0
    assert news_site.hits.get("/atom.xml") == 1 and not news_site.hits.get("/rss.xml")
    bad = rasid("once", "-c", str(config), "--source", "nope")
    assert bad.returncode == 2 and "nope" in bad.stderr


def test_redis_restart_loses_no_decision(tmp_path, site_config, webhook):
    site_config["redis"] = {"url": ""}  # Rasid's own embedded redis-server, AOF on
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    assert rasid("once", "-c", str(config)).returncode == 0
    delivered = len(webhook.received)
    assert delivered and (tmp_path / "var" / "redis" / "appendonly.aof").exists()
    assert rasid("once", "-c", str(config)).returncode == 0  # a new redis-server, from the AOF
    assert len(webhook.received) == delivered


def test_run_picks_up_an_article_published_mid_run_and_stops_on_sigterm(
        tmp_path, site_config, news_site, webhook, redis_url):
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    daemon = start_daemon(config)
    try:
        assert wait_for(lambda: webhook.received, 30), "no alert from the first poll"
        time.sleep(1.5)
        before = len(webhook.received)
        url = news_site.publish("oil-prices-slide")
        assert wait_for(lambda: any(url in m["message"] for m in webhook.received), 15)
        assert len(webhook.received) == before + 1
        started = time.monotonic()
        daemon.send_signal(signal.SIGTERM)
        _out, err = daemon.communicate(timeout=15)
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert daemon.returncode == 0, err
    assert time.monotonic() - started < 15
    assert "Traceback" not in err
    client = redis.Redis.from_url(redis_url)
    assert client.xlen("rasid:outbox:hook") == 0 and client.xlen("rasid:outbox:archive") == 0
