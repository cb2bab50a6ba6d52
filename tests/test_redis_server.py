"""EmbeddedRedis: starts, persists with AOF, survives a stale pid file and socket."""
from __future__ import annotations

import redis

from scheduler.redis_server import EmbeddedRedis


def test_data_survives_a_restart(tmp_path):
    with EmbeddedRedis(tmp_path) as server:
        redis.Redis.from_url(server.url).set("rasid:test", "kept")
    with EmbeddedRedis(tmp_path) as server:
        assert redis.Redis.from_url(server.url).get("rasid:test") == b"kept"


def test_a_stale_pid_file_and_socket_are_cleaned_up(tmp_path):
    server = EmbeddedRedis(tmp_path)
    server.redis_dir.mkdir(parents=True)
    server.pidfile.write_text("999999\n")
    server.socket.write_text("")  # a socket file left by a crash
    with server:
        assert redis.Redis.from_url(server.url).ping()


def test_a_leftover_server_from_a_crash_is_replaced(tmp_path):
    crashed = EmbeddedRedis(tmp_path).start()
    crashed.process = None  # forget it, as a crashed parent would
    with EmbeddedRedis(tmp_path) as server:
        assert redis.Redis.from_url(server.url).ping()


def test_a_long_data_dir_gets_a_short_socket_path(tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    with EmbeddedRedis(deep) as server:
        assert len(str(server.socket)) <= 100
        assert redis.Redis.from_url(server.url).ping()


def test_a_server_owned_by_a_live_process_is_shared_not_restarted(tmp_path):
    from scheduler.redis_server import redis_url_for

    with EmbeddedRedis(tmp_path) as running, redis_url_for("", tmp_path) as url:
        assert url == running.url
        redis.Redis.from_url(url).set("rasid:shared", "1")
    assert running.process is None  # the owner stopped it, the second user did not
