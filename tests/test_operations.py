"""Running Rasid as a service: health, metrics, status, reload, silent sources, jitter, files."""
from __future__ import annotations

import configparser
import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler.clock import PollClock
from scheduler.config import load_config
from scheduler.redis_server import EmbeddedRedis
from tests.conftest import (
    ROOT,
    _child_env,
    free_port,
    rasid,
    start_daemon,
    stop_daemon,
    wait_for,
    write_config,
)
from tests.test_delivery import _archive


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_health_flips_when_redis_stops(tmp_path, site_config):
    port = free_port()
    server = EmbeddedRedis(tmp_path / "own-redis").start()
    site_config["redis"] = {"url": server.url}
    site_config["http"] = {"listen": f"127.0.0.1:{port}"}
    daemon = start_daemon(write_config(tmp_path / "rasid.yaml", **site_config))
    health = f"http://127.0.0.1:{port}/healthz"
    try:
        assert wait_for(lambda: _get(health)[0] == 200 if _listening(health) else False, 20)
        server.stop()
        status, body = _get(health)
        assert status == 503 and "redis" in json.loads(body)["reason"]
        server.start()
        assert wait_for(lambda: _get(health)[0] == 200, 10)
    finally:
        stop_daemon(daemon)
        server.stop()


def _listening(url: str) -> bool:
    try:
        _get(url)
    except OSError:
        return False
    return True


def test_metrics_count_real_polls(tmp_path, site_config):
    port = free_port()
    site_config["http"] = {"listen": f"127.0.0.1:{port}"}
    daemon = start_daemon(write_config(tmp_path / "rasid.yaml", **site_config))
    metrics_url = f"http://127.0.0.1:{port}/metrics"
    try:
        assert wait_for(lambda: len(_archive(tmp_path)) >= 2, 30)
        assert wait_for(lambda: _metric(metrics_url, 'rasid_polls_total{result="ok",'
                                                      'source="site-rss"}') >= 2, 15)
        text = _get(metrics_url)[1]
    finally:
        stop_daemon(daemon)
    assert _value(text, 'rasid_articles_total{source="site-rss"}') == 3
    assert _value(text, 'rasid_alerts_total{channel="hook",result="sent"}') == 2
    assert _value(text, 'rasid_alerts_pending{channel="hook"}') == 0
    assert _value(text, "rasid_redis_used_memory_bytes") > 100_000
    assert _value(text, 'rasid_source_last_success_timestamp_seconds{source="site-rss"}') > 1e9
    assert "rasid_poll_duration_seconds_bucket" in text


def _value(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return -1.0


def _metric(url: str, name: str) -> float:
    try:
        return _value(_get(url)[1], name)
    except OSError:
        return -1.0


def test_status_shows_sources_and_channels(tmp_path, site_config, webhook):
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    assert rasid("once", "-c", str(config)).returncode == 0
    result = rasid("status", "--json", "-c", str(config))
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout)
    (source,) = state["sources"]
    assert source["result"] == "ok" and source["new_24h"] == 3 and source["failures_in_a_row"] == 0
    channels = {c["channel"]: c for c in state["channels"]}
    assert channels["hook"]["sent"] == len(webhook.received) == 2
    assert channels["hook"]["pending"] == 0
    table = rasid("status", "-c", str(config))
    assert "Sources" in table.stdout and "site-rss" in table.stdout and "Channels" in table.stdout


def test_a_silent_source_alerts_once_and_recovers(tmp_path, site_config, news_site):
    site_config["sources"][0]["expect_every"] = "1s"
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    assert rasid("once", "-c", str(config)).returncode == 0  # 3 new articles
    time.sleep(1.2)
    for _ in range(2):  # nothing new, twice: one notice
        assert rasid("once", "-c", str(config)).returncode == 0
    news_site.publish()
    assert rasid("once", "-c", str(config)).returncode == 0
    notices = [a["title"] for a in _archive(tmp_path, "notice")]
    assert notices == ["Rasid: source site-rss is silent",
                       "Rasid: source site-rss publishes again"]


def test_a_failing_source_raises_one_down_notice_and_one_back(tmp_path, site_config, news_site):
    good = site_config["sources"][0]["feed"]
    site_config["sources"][0]["feed"] = f"{news_site.base_url}/status/500"
    site_config["alerts"] = {"source_down_after": 2}
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    for _ in range(3):
        assert rasid("once", "-c", str(config)).returncode == 1
    site_config["sources"][0]["feed"] = good
    write_config(tmp_path / "rasid.yaml", **site_config)
    assert rasid("once", "-c", str(config)).returncode == 0
    notices = [a["title"] for a in _archive(tmp_path, "notice")]
    assert notices == ["Rasid: source site-rss is down", "Rasid: source site-rss is back"]


def test_live_reload_adds_removes_and_refuses_a_bad_config(tmp_path, site_config, news_site):
    path = write_config(tmp_path / "rasid.yaml", **site_config)
    daemon = start_daemon(path)
    try:
        assert wait_for(lambda: news_site.hits.get("/rss.xml", 0) >= 1, 20)
        site_config["sources"] = [{"name": "site-atom", "every": "1s",
                                   "feed": f"{news_site.base_url}/atom.xml"}]
        write_config(path, **site_config)
        daemon.send_signal(signal.SIGHUP)
        assert wait_for(lambda: news_site.hits.get("/atom.xml", 0) >= 2, 15)
        rss_after_reload = news_site.hits.get("/rss.xml", 0)
        path.write_text("sources: [{name: BAD}]\n", encoding="utf-8")  # picked up by the watcher
        time.sleep(4)
        assert news_site.hits.get("/rss.xml", 0) <= rss_after_reload + 1  # removed source stays off
        atom_before = news_site.hits.get("/atom.xml", 0)
        assert wait_for(lambda: news_site.hits.get("/atom.xml", 0) > atom_before, 10)
        err = stop_daemon(daemon)
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert "config reloaded (SIGHUP)" in err
    assert "config reload (the config file changed) refused" in err
    assert "sources[0].name" in err


def test_polls_of_many_sources_are_spread():
    sources = [{"name": f"s{i}", "feed": f"https://example.com/{i}.xml", "every": "5m"}
               for i in range(20)]
    config_path = Path("/tmp") / f"rasid-jitter-{time.time_ns()}.yaml"
    config = load_config(write_config(config_path, sources=sources))
    config_path.unlink()
    scheduler = AsyncIOScheduler()
    clock = PollClock(scheduler, queue=None)  # type: ignore[arg-type]
    started = time.time()
    clock.schedule(config.sources)
    assert clock.new == [s.name for s in config.sources]  # each polled once at start
    jobs = scheduler.get_jobs()
    firsts = sorted(job.next_run_time.timestamp() - started for job in jobs)
    assert len(set(firsts)) == 20 and 0 < firsts[0] < 20 and 280 < firsts[-1] < 300
    assert all(job.trigger.jitter == 30 for job in jobs)  # 10 % of 5 min, capped at 30 s
    assert all(job.coalesce and job.max_instances == 1 for job in jobs)
    assert all(job.misfire_grace_time is None for job in jobs)  # a late poll still runs


def test_pidfile_refuses_a_secondstart_daemon(tmp_path, site_config):
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    pidfile = tmp_path / "rasid.pid"
    first = subprocess.Popen([sys.executable, "-m", "scheduler.cli", "run", "-c", str(config),
                              "--pidfile", str(pidfile)], cwd=ROOT, env=_child_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(pidfile.exists, 20)
        second = rasid("run", "-c", str(config), "--pidfile", str(pidfile), timeout=30)
        assert second.returncode == 1 and "already running" in second.stderr
        assert "stop requested" in stop_daemon(first)
    finally:
        if first.poll() is None:
            first.kill()
    assert not pidfile.exists()


def test_json_logs_one_object_per_line(tmp_path, site_config):
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    result = rasid("once", "-c", str(config), "--log-format", "json")
    assert result.returncode == 0
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    polls = [r for r in records if r["message"].startswith("poll site-rss: ok")]
    assert polls and {"time", "level", "logger", "message"} <= set(polls[0])
    assert "2 alerts" in polls[0]["message"] and "3 new" in polls[0]["message"]


def test_systemd_unit_and_compose_healthcheck():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # keys are case-sensitive
    unit.read(ROOT / "deploy" / "rasid.service")
    service = unit["Service"]
    assert "rasid run" in service["ExecStart"] and "--pidfile" in service["ExecStart"]
    assert "HUP" in service["ExecReload"] and service["KillSignal"] == "SIGTERM"
    for hardening in ("NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp"):
        assert service[hardening] in ("yes", "strict")
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    rasid_service = compose["services"]["rasid"]
    assert "/healthz" in " ".join(rasid_service["healthcheck"]["test"])
    assert rasid_service["restart"] == "unless-stopped"


@pytest.fixture(autouse=True)
def _no_leftover_env(monkeypatch: Any) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)


def test_once_shows_progress_on_a_terminal_only(tmp_path, site_config):
    import os
    import pty

    config = write_config(tmp_path / "rasid.yaml", **site_config)
    quiet = rasid("once", "-c", str(config))
    assert quiet.returncode == 0 and "rasid once" not in quiet.stderr
    leader, follower = pty.openpty()
    child = subprocess.Popen([sys.executable, "-m", "scheduler.cli", "once", "-c", str(config)],
                             cwd=ROOT, env=_child_env(), stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    assert child.wait(60) == 0
    text = shown.decode("utf-8", "replace")
    assert "rasid once" in text and "site-rss" in text and "ok, 0 new" in text


def test_a_reload_reschedules_only_what_changed(tmp_path):
    sources = [{"name": n, "feed": f"https://example.com/{n}.xml", "every": "5m"}
               for n in ("a", "b", "c")]
    first = load_config(write_config(tmp_path / "one.yaml", sources=sources))
    scheduler = AsyncIOScheduler()
    clock = PollClock(scheduler, queue=None)  # type: ignore[arg-type]
    clock.schedule(first.sources)
    before = {job.id: job.next_run_time for job in scheduler.get_jobs()}
    sources[1]["every"] = "1m"
    del sources[2]
    sources.append({"name": "d", "feed": "https://example.com/d.xml", "cron": "*/10 * * * *"})
    clock.new.clear()
    clock.schedule(load_config(write_config(tmp_path / "two.yaml", sources=sources)).sources)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"a", "b", "d"} and clock.new == ["b", "d"]
    assert jobs["a"].next_run_time == before["a"]  # unchanged: left alone
    assert jobs["b"].trigger.interval.total_seconds() == 60
