"""(2) CPU per poll that finds nothing new: unchanged feeds (304) and changed feeds of old items.

One `rasid run` watches many sources every second; the replay site answers 304 (unchanged feed),
then, in volatile mode, 200 with the same 20 already-seen items under a new ETag. CPU is the Rasid
process's (and, separately, its redis-server's) over windows of a few seconds; polls are counted
at the site. The baselines (bench/baselines.py) then poll the same feed URLs.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from procs import (
    Child,
    Servers,
    cpu_seconds,
    feed_sources,
    median,
    rasid,
    rss_mib,
    wait_for,
    workdir,
    write_config,
)

FEED_ITEMS = 20


def polls(servers: Servers) -> int:
    stats = servers.control("stats")
    return stats["feed_200"] + stats["feed_304"]


def window(servers: Servers, daemon: Child, seconds: float) -> dict[str, float]:
    """CPU ms per poll of the Rasid process and of its redis-server over one window."""
    start = (polls(servers), cpu_seconds(daemon.pid), cpu_seconds(servers.redis_pid),
             time.monotonic())
    time.sleep(seconds)
    end = (polls(servers), cpu_seconds(daemon.pid), cpu_seconds(servers.redis_pid),
           time.monotonic())
    count = max(1, end[0] - start[0])
    return {"polls": count, "polls_per_s": count / (end[3] - start[3]),
            "rasid_ms": 1000 * (end[1] - start[1]) / count,
            "redis_ms": 1000 * (end[2] - start[2]) / count,
            "cpu_share": (end[1] - start[1]) / (end[3] - start[3])}


def summarise(windows: list[dict[str, float]]) -> dict[str, Any]:
    out = {key: round(median(w[key] for w in windows), 3) for key in windows[0]}
    out["total_ms"] = round(median(w["rasid_ms"] + w["redis_ms"] for w in windows), 3)
    out["runs"] = len(windows)
    return out


def run(corpus: Path, sources: int = 200, runs: int = 3,
        seconds: float = 4.0) -> tuple[dict[str, Any], Servers, Path]:
    """Measure; returns the results, the still-running servers and the config, for the baselines."""
    work = workdir("polls")
    servers = Servers({"hosts": sources // 2, "groups": [
        {"prefix": "p", "count": sources, "items": FEED_ITEMS, "shared": True}]}, corpus, work)
    names = [f"p-{i}" for i in range(sources)]
    config = write_config(work, servers, feed_sources(servers, names, "1s"))
    daemon = rasid(work, "run", "-c", str(config))
    result: dict[str, Any] = {"sources": sources, "interval_s": 1, "feed_items": FEED_ITEMS}
    try:
        # warm-up: every feed fetched once, its (shared) items fetched, then 304s flowing
        if not wait_for(lambda: servers.control("stats")["feed_304"] >= 2 * sources, 120):
            raise RuntimeError(f"Rasid never reached steady polling; see {daemon.log}")
        result["rss_start_mib"] = round(rss_mib(daemon.pid), 1)
        result["unchanged"] = summarise([window(servers, daemon, seconds) for _ in range(runs)])
        servers.control("mode", {"volatile": "p"})
        time.sleep(1)
        result["changed_old_items"] = summarise(
            [window(servers, daemon, seconds) for _ in range(runs)])
        servers.control("mode", {"volatile": None})
        result["rss_end_mib"] = round(rss_mib(daemon.pid), 1)
    except BaseException:
        servers.close()
        raise
    finally:
        daemon.stop()
    return result, servers, config
