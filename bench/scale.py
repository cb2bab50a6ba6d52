"""(4) Scale: CPU of one `rasid run` at rising poll rates; (5) its RSS after start and after 10,000 polls.

N sources at a 5-minute interval make N/300 polls a second. Waiting 5 minutes for the second round
does not fit the run, so the same poll rates come from fewer sources polled more often: 2,000
sources every 30 s is the load of 20,000 every 5 minutes. The daemon keeps the same 2,000 sources
(feeds unchanged, answered 304); each level shortens the interval by editing its config, which
the daemon reloads. CPU is the share of one core over a window of whole intervals. The last
level, past what one process can do, shows where it saturates and runs on until 10,000 polls.
"""
from __future__ import annotations

import itertools
import re
import time
from pathlib import Path
from typing import Any

from procs import Child, Servers, cpu_seconds, feed_sources, rasid, rss_mib, wait_for, workdir, write_config

FIVE_MINUTES = 300
LOST = re.compile(r"could not queue a poll")


def polls(servers: Servers) -> int:
    stats = servers.control("stats")
    return stats["feed_200"] + stats["feed_304"]


def level(servers: Servers, daemon: Child, sources: int, every: float,
          seconds: float) -> dict[str, Any]:
    start = (polls(servers), cpu_seconds(daemon.pid), cpu_seconds(servers.redis_pid),
             time.monotonic(), _lost(daemon))
    time.sleep(seconds)
    end = (polls(servers), cpu_seconds(daemon.pid), cpu_seconds(servers.redis_pid),
           time.monotonic(), _lost(daemon))
    wall = end[3] - start[3]
    offered = sources / every
    achieved = (end[0] - start[0]) / wall
    return {"every_s": every, "offered_polls_per_s": round(offered, 1),
            "achieved_polls_per_s": round(achieved, 1),
            "equivalent_sources_at_5min": round(offered * FIVE_MINUTES),
            "rasid_cpu": round((end[1] - start[1]) / wall, 3),
            "redis_cpu": round((end[2] - start[2]) / wall, 3),
            "lost_polls": end[4] - start[4]}


def _lost(daemon: Child) -> int:
    """Polls the clock could not queue (logged by the daemon)."""
    return len(LOST.findall(daemon.log.read_text("utf-8", errors="replace")))


def knee(levels: list[dict[str, Any]], cpu_limit: float = 0.5) -> dict[str, Any]:
    """Sources at 5 minutes one process sustains under `cpu_limit` of a core (interpolated)."""
    points = [(0.0, 0.0)] + [(lv["achieved_polls_per_s"], lv["rasid_cpu"]) for lv in levels
                             if lv["achieved_polls_per_s"] >= 0.9 * lv["offered_polls_per_s"]]
    rate = 0.0
    for (r0, c0), (r1, c1) in itertools.pairwise(points):
        if c1 <= cpu_limit:
            rate = r1
        else:
            rate = r0 + (r1 - r0) * (cpu_limit - c0) / max(1e-9, c1 - c0)
            break
    else:
        if len(points) > 1 and points[-1][1] > 0:  # under the limit everywhere: extrapolate
            rate = points[-1][0] * cpu_limit / points[-1][1]
    return {"sources_under_50pct_cpu": round(rate * FIVE_MINUTES), "polls_per_s": round(rate, 1)}


def run(corpus: Path, sources: int = 2000, intervals: tuple[float, ...] = (30, 8),
        windows: tuple[float, ...] = (30, 20), memory_polls: int = 10_000,
        memory_timeout: float = 60) -> dict[str, Any]:
    """Levels of rising poll rate; the last one runs on until 10,000 polls since the start."""
    work = workdir("scale")
    servers = Servers({"hosts": 250, "groups": [{"prefix": "s", "count": sources}]}, corpus, work)
    names = [f"s-{i}" for i in range(sources)]
    servers.remember_feeds("s-")
    daemon = None
    try:
        config = write_config(work, servers, feed_sources(servers, names, f"{intervals[0]:g}s"))
        daemon = rasid(work, "run", "-c", str(config))
        if not wait_for(lambda: polls(servers) >= sources, 120):
            raise RuntimeError(f"the first round of polls did not finish; see {daemon.log}")
        rss_start, first = rss_mib(daemon.pid), polls(servers)
        levels = []
        for i, (every, seconds) in enumerate(zip(intervals, windows, strict=True)):
            if i:
                write_config(work, servers, feed_sources(servers, names, f"{every:g}s"))
                time.sleep(6)  # reload (checked every 2 s), then the rescheduled first polls
            levels.append(level(servers, daemon, sources, every, seconds))
        wait_for(lambda: polls(servers) - first >= memory_polls, memory_timeout, step=1)
        done = polls(servers) - first
        rss_end = rss_mib(daemon.pid)
        return {"sources": sources, "levels": levels, **knee(levels),
                "rss_start_mib": round(rss_start, 1), "rss_after_mib": round(rss_end, 1),
                "polls_for_memory": done, "rss_growth": round(rss_end / rss_start - 1, 4)}
    finally:
        if daemon is not None:
            daemon.stop()
        servers.close()
