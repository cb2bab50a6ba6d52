"""Processes for the benchmarks: servers in their own processes, Rasid as users run it, CPU and RSS."""
from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import psutil
import redis
import yaml

from scheduler.redis_server import EmbeddedRedis

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
# every Arabic news article contains these, so every new article matches and alerts
CATCH_ALL = {"name": "everything", "keywords": ["في", "من", "على"]}
TOPICS = [
    CATCH_ALL,
    {"name": "isis-syria", "keywords": ["داعش", "تنظيم الدولة"]},
    {"name": "syria-regime", "keywords": ["الأسد", "النظام السوري"]},
    {"name": "economy", "keywords": ["النفط", "البنك المركزي", "التضخم"]},
    {"name": "coalition", "keywords": ["التحالف الدولي"], "exclude": ["رياضة"]},
]


def median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def http_json(url: str, body: Any = None, timeout: float = 30) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


def _family(pid: int) -> list[psutil.Process]:
    """A process and its live descendants (Rasid's extraction workers)."""
    process = psutil.Process(pid)
    return [process, *process.children(recursive=True)]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and its live children (and of those it waited for)."""
    total = 0.0
    for member in _family(pid):
        try:
            times = member.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + (times.children_user + times.children_system
                                              if member.pid == pid else 0.0)
    return total


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its live children, in MiB (shared pages counted twice)."""
    total = 0
    for member in _family(pid):
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


def wait_for(check: Callable[[], bool], timeout: float, step: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return check()


class Child:
    """A process this harness started; `stop` ends that process (and its group) only."""

    def __init__(self, args: list[str], log: Path, cwd: Path = ROOT,
                 env: dict[str, str] | None = None, announce: bool = False) -> None:
        self.log = log
        self.stderr = open(log, "wb")
        self.proc = subprocess.Popen(
            args, cwd=cwd, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            stdout=subprocess.PIPE if announce else self.stderr, stderr=self.stderr,
            stdin=subprocess.DEVNULL, start_new_session=True)
        self.info: dict[str, Any] = {}
        if announce:  # the first stdout line is a JSON object (e.g. the port it listens on)
            line = self.proc.stdout.readline() if self.proc.stdout else b""
            if not line:
                self.stop()
                raise RuntimeError(f"{args[1]} did not start; see {log}")
            self.info = json.loads(line)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self, timeout: float = 10) -> int | None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.stderr.close()
        return self.proc.returncode


class Servers:
    """A replay site and a webhook receiver, each in its own process, plus a fresh redis-server."""

    def __init__(self, spec: dict[str, Any], corpus: Path, workdir: Path) -> None:
        self.workdir = workdir
        spec_file = workdir / "spec.json"
        spec_file.write_text(json.dumps(spec))
        self.site = Child([PYTHON, str(BENCH / "replay_site.py"), "--spec", str(spec_file),
                           "--corpus", str(corpus)], workdir / "site.log", announce=True)
        self.receiver = Child([PYTHON, str(BENCH / "receiver.py")], workdir / "receiver.log",
                              announce=True)
        self.redis = EmbeddedRedis(workdir / "redis").start()
        self.base_url = f"http://127.0.0.1:{self.site.info['port']}"
        self.hook_url = f"json://127.0.0.1:{self.receiver.info['port']}/hook"
        self.feeds = {name: feed["url"] for name, feed in self.control("feeds").items()}

    @property
    def redis_pid(self) -> int:
        assert self.redis.process is not None
        return self.redis.process.pid

    def control(self, action: str, body: Any = None) -> Any:
        return http_json(f"{self.base_url}/_control/{action}", body)

    def alerts(self) -> list[dict[str, Any]]:
        return http_json(f"http://127.0.0.1:{self.receiver.info['port']}/_log")

    def feed_url(self, name: str) -> str:
        return self.feeds[name]

    def remember_feeds(self, prefix: str, redis_url: str | None = None) -> int:
        """Store each feed's current ETag in Rasid's state, as after a poll of an unchanged feed."""
        client = redis.Redis.from_url(redis_url or self.redis.url)
        etags = self.control("feeds", {"prefix": prefix})
        with client.pipeline(transaction=False) as pipe:
            for name, feed in etags.items():
                pipe.hset(f"rasid:source:{name}:http", "etag", feed["etag"])
            pipe.execute()
        client.close()
        return len(etags)

    def close(self) -> None:
        self.site.stop()
        self.receiver.stop()
        self.redis.stop()


def write_config(workdir: Path, servers: Servers, sources: list[dict[str, Any]],
                 topics: list[dict[str, Any]] | None = None, name: str = "rasid.yaml",
                 redis_url: str | None = None) -> Path:
    config = {
        "data_dir": str(workdir / "var"),
        "redis": {"url": redis_url or servers.redis.url},
        "sources": sources,
        "topics": topics or TOPICS,
        "channels": {"hook": servers.hook_url},
        "output": {"seed_dir": str(workdir / "articles")},
        "http": {"listen": ""},
    }
    path = workdir / name
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def feed_sources(servers: Servers, names: Iterable[str], every: str) -> list[dict[str, Any]]:
    return [{"name": n, "feed": servers.feed_url(n), "every": every} for n in names]


def rasid(workdir: Path, *args: str, log: str = "rasid.log") -> Child:
    """The real `rasid` command line in its own process."""
    return Child([PYTHON, "-m", "scheduler.cli", *args], workdir / log)


WORK_ROOT = Path(tempfile.gettempdir())


def workdir(name: str) -> Path:
    """A new folder for one part's configs, logs and Redis data (under WORK_ROOT)."""
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=WORK_ROOT))
