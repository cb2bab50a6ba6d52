"""(1) New articles per second through the whole pipeline, against a bare Scrapy download of the same pages.

`rasid once` polls sources whose feeds list only new articles (every one matches a topic and
alerts to the webhook receiver); the same command with nothing new (all feeds 304) gives the
fixed cost of a run (start-up, shutdown), which is subtracted. The ceiling is the same pages
downloaded by bench/bare_spider.py, with its feeds-only run subtracted likewise.
"""
from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import redis
from baselines import child_cpu
from procs import BENCH, PYTHON, Servers, feed_sources, median, workdir, write_config


def rasid_once(config: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds of one `rasid once` (its redis-server is not its child)."""
    started = time.monotonic()
    cpu, done = child_cpu([PYTHON, "-m", "scheduler.cli", "once", "-c", str(config)], timeout=600)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"rasid once exited {done.returncode}: {done.stderr[-500:]}")
    return time.monotonic() - started, cpu


def bare(urls: Path, feeds_only: bool) -> dict[str, float]:
    args = [PYTHON, str(BENCH / "bare_spider.py"), str(urls)] + (["--feeds-only"] if feeds_only else [])
    done = subprocess.run(args, capture_output=True, text=True, check=True, timeout=300)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(corpus: Path, sources: int = 20, items: int = 5, runs: int = 3) -> dict[str, Any]:
    work = workdir("throughput")
    servers = Servers({"hosts": sources, "groups": [{"prefix": "n", "count": sources,
                                                     "items": items}]}, corpus, work)
    try:
        names = [f"n-{i}" for i in range(sources)]
        config = write_config(work, servers, feed_sources(servers, names, "5m"))
        urls = work / "urls.txt"
        urls.write_text("\n".join(servers.feed_url(n) for n in names))
        client = redis.Redis.from_url(servers.redis.url)
        articles = sources * items
        rasid_rate, rasid_cpu, bare_rate, bare_cpu, alerts = [], [], [], [], []
        for _ in range(runs):
            client.flushall()  # a fresh start: every article new again
            before = len(servers.alerts())
            full_wall, full_cpu = rasid_once(config)
            alerts.append(len(servers.alerts()) - before)
            idle_wall, idle_cpu = rasid_once(config)  # the same run with nothing new
            rasid_rate.append(articles / max(1e-3, full_wall - idle_wall))
            rasid_cpu.append(1000 * (full_cpu - idle_cpu) / articles)
            full, feeds = bare(urls, False), bare(urls, True)
            pages = full["pages"] - feeds["pages"]
            bare_rate.append(pages / max(1e-3, full["seconds"] - feeds["seconds"]))
            bare_cpu.append(1000 * (full["cpu"] - feeds["cpu"]) / max(1, pages))
        client.close()
        rate, ceiling = median(rasid_rate), median(bare_rate)
        return {"articles": articles, "sources": sources, "runs": runs,
                "alerts_per_run": median(alerts),
                "rasid_articles_per_s": round(rate, 2), "rasid_cpu_ms_per_article": round(
                    median(rasid_cpu), 1),
                "bare_pages_per_s": round(ceiling, 1), "bare_cpu_ms_per_page": round(
                    median(bare_cpu), 2),
                "ratio": round(rate / ceiling, 4)}
    finally:
        servers.close()
