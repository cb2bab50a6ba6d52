"""(3) Detection latency: from an article's publication to its alert at the webhook receiver.

Two `rasid run` daemons at once, each with its own redis-server: a light one (a few sources
every 60 s) and a loaded one (1,000 sources every 60 s). Their feeds start empty with the ETag
already in Rasid's state (as after a previous poll), so every poll is a 304 until the replay site
publishes an article into a random source at a random moment. The site records when each item was
published and when a feed first carried it; the receiver records when its alert arrived. Waiting
for the next poll = first served - published; Rasid's own work = alert - first served, itself
split at the moment the site served the article page (fetch, then process and deliver).
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from procs import Servers, feed_sources, percentile, rasid, wait_for, workdir, write_config

from scheduler.redis_server import EmbeddedRedis

URL = re.compile(r"https?://\S+/news/(\d+)\.html")


def split(entries: list[dict[str, Any]], alerts: dict[int, float]) -> dict[str, Any]:
    """Percentiles of total latency, of waiting for the poll, and of Rasid's own work."""
    done = [e for e in entries if e["id"] in alerts and e["first_served"] and e["page_served"]]
    parts = {"total": [alerts[e["id"]] - e["published"] for e in done],
             "wait": [e["first_served"] - e["published"] for e in done],
             "own": [alerts[e["id"]] - e["first_served"] for e in done],
             # Rasid's own work in two: feed served -> page fetched (scheduling, politeness),
             # page fetched -> alert received (extract, match, dedup, outbox, Apprise POST)
             "fetch": [e["page_served"] - e["first_served"] for e in done],
             "process": [alerts[e["id"]] - e["page_served"] for e in done]}
    out: dict[str, Any] = {"published": len(entries), "alerted": len(done)}
    for name, values in parts.items():
        for share in (0.5, 0.95, 0.99):
            out[f"{name}_p{round(share * 100)}_s"] = round(percentile(values, share), 3)
    return out


def first_alerts(servers: Servers) -> dict[int, float]:
    """Item id -> when its first alert arrived."""
    first: dict[int, float] = {}
    for alert in servers.alerts():
        for found in URL.findall(alert["message"]):
            first.setdefault(int(found), alert["at"])
    return first


def run(corpus: Path, light: int = 10, loaded: int = 1000, interval: str = "60s",
        window: float = 30.0, published: tuple[int, int] = (20, 150),
        settle: float = 5.0, grace: float = 90.0) -> dict[str, Any]:
    work = workdir("latency")
    spec = {"hosts": 250, "groups": [{"prefix": "one", "count": light},
                                     {"prefix": "many", "count": loaded}]}
    servers = Servers(spec, corpus, work)
    second = EmbeddedRedis(work / "redis2").start()
    daemons = []
    try:
        servers.remember_feeds("one-", second.url)
        servers.remember_feeds("many-")
        for prefix, count, redis_url in (("one", light, second.url),
                                         ("many", loaded, servers.redis.url)):
            names = [f"{prefix}-{i}" for i in range(count)]
            config = write_config(work, servers, feed_sources(servers, names, interval),
                                  name=f"{prefix}.yaml", redis_url=redis_url)
            daemons.append(rasid(work, "run", "-c", str(config), log=f"{prefix}.log"))
        total = light + loaded
        # both daemons up: every source polled once (304s)
        wait_for(lambda: servers.control("stats")["feed_304"] >= total, 60)
        time.sleep(settle)
        servers.control("publish", {"prefix": "one-", "count": published[0], "window": window})
        servers.control("publish", {"prefix": "many-", "count": published[1], "window": window})
        time.sleep(window)
        # every item carried by a feed, then its alert (a story the corpus tells twice has none)
        wait_for(lambda: all(e["first_served"] for e in servers.control("log")), grace, step=1)
        wait_for(lambda: len(first_alerts(servers)) >= len(servers.control("log")), 10, step=1)
        alerts = first_alerts(servers)
        log = servers.control("log")
        return {"interval": interval, "window_s": window,
                "light": {"sources": light, **split([e for e in log if e["source"].startswith(
                    "one-")], alerts)},
                "loaded": {"sources": loaded, **split([e for e in log if e["source"].startswith(
                    "many-")], alerts)}}
    finally:
        for daemon in daemons:
            daemon.stop()
        second.stop()
        servers.close()
