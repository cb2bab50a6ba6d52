"""Shared fixtures: a real redis-server, the project's Arabic news site, a webhook receiver."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml

from demo.site import NewsSite
from scheduler.redis_server import EmbeddedRedis
from tests.receivers import WebhookReceiver

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    with EmbeddedRedis(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def redis_url(redis_server: EmbeddedRedis) -> str:
    """A clean database for each test."""
    redis.Redis.from_url(redis_server.url).flushall()
    return redis_server.url


@pytest.fixture
def news_site() -> Iterator[NewsSite]:
    with NewsSite(published=3) as site:
        yield site


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


def write_config(path: Path, **sections: Any) -> Path:
    path.write_text(yaml.safe_dump(sections, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


@pytest.fixture
def site_config(tmp_path: Path, news_site: NewsSite, webhook: WebhookReceiver,
                redis_url: str) -> dict[str, Any]:
    """A config watching the fixture site's RSS feed, alerting to the webhook and a jsonl file."""
    return {
        "data_dir": str(tmp_path / "var"),
        "redis": {"url": redis_url},
        "sources": [{"name": "site-rss", "feed": f"{news_site.base_url}/rss.xml", "every": "1s",
                     "delay": "0s"}],
        "topics": [
            {"name": "isis", "keywords": ["داعش", "تنظيم الدولة"]},
            {"name": "economy", "keywords": ["النفط", "البنك المركزي", "التضخم"]},
        ],
        "channels": {"hook": webhook.url, "archive": f"jsonl://{tmp_path}/alerts.jsonl"},
        "output": {"seed_dir": str(tmp_path / "articles")},
        "http": {"listen": ""},
    }


def rasid(*args: str, timeout: float = 90, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run the real `rasid` command line in a child process."""
    return subprocess.run([sys.executable, "-m", "scheduler.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env=_child_env(), **kwargs)


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "RASID_CONFIG")}
    return {**env, "PYTHONUNBUFFERED": "1"}


def wait_for(predicate: Any, timeout: float) -> bool:
    """Poll `predicate` until it is true or `timeout` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def start_daemon(config: Path) -> subprocess.Popen[str]:
    """`rasid run` in a child process."""
    return subprocess.Popen([sys.executable, "-m", "scheduler.cli", "run", "-c", str(config)],
                            cwd=ROOT, env=_child_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def stop_daemon(daemon: subprocess.Popen[str]) -> str:
    """SIGTERM, which must end the daemon cleanly within 15 s; its stderr."""
    daemon.send_signal(signal.SIGTERM)
    try:
        _out, err = daemon.communicate(timeout=15)
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert daemon.returncode == 0, err
    return err


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_client(redis_url: str, body: Any) -> Any:
    """Run `body(client)` with an asyncio Redis client to the test's server; its result."""
    import asyncio

    import redis.asyncio as aioredis

    async def main() -> Any:
        client = aioredis.from_url(redis_url)
        try:
            return await body(client)
        finally:
            await client.aclose()

    return asyncio.run(main())
