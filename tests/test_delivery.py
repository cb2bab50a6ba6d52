"""Delivery with real receivers: a webhook that is down then up, SIGKILL mid-send, SMTP, Atom."""
from __future__ import annotations

import email
import email.policy
import json
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import feedparser
import pytest
from aiosmtpd.controller import Controller

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


def _archive(tmp_path: Path, kind: str = "article") -> list[dict[str, Any]]:
    """The archived alerts of one kind (article alerts, or Rasid's own notices)."""
    path = tmp_path / "alerts.jsonl"
    lines = path.read_text().splitlines() if path.exists() else []
    return [a for a in map(json.loads, lines) if a.get("kind") == kind]


FAST_RETRY = {"retry_after": "1s", "retry_max": "2s"}


def test_receiver_down_then_up_gets_every_alert_exactly_once(tmp_path, site_config, webhook):
    site_config["alerts"] = FAST_RETRY
    webhook.status = 503
    daemon = start_daemon(write_config(tmp_path / "rasid.yaml", **site_config))
    try:
        assert wait_for(lambda: len(_archive(tmp_path)) >= 2, 30), "no alerts archived"
        # down for several cycles: until the other channel hears that this one is down
        assert wait_for(lambda: _archive(tmp_path, "notice"), 20)
        assert not webhook.received
        webhook.status = 200
        expected = len(_archive(tmp_path))
        assert wait_for(lambda: len(webhook.received) >= expected, 20)
        time.sleep(2)  # a duplicate would arrive now
    finally:
        stop_daemon(daemon)
    titles = [m["title"] for m in webhook.received]
    assert len(titles) == expected == len(set(titles))
    notices = [a["title"] for a in _archive(tmp_path, "notice")]
    assert notices == ["Rasid: channel hook is down", "Rasid: channel hook is back"]


def test_sigkill_between_outbox_and_send_loses_nothing_and_repeats_nothing(
        tmp_path, site_config, webhook):
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    webhook.hang.set()  # the hook holds the first request: Rasid is mid-send
    child = subprocess.Popen([sys.executable, "-m", "scheduler.cli", "once", "-c", str(config)],
                             cwd=ROOT, env=_child_env(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: len(_archive(tmp_path)) >= 2, 30)
        time.sleep(0.5)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    webhook.hang.clear()
    webhook.release.set()
    assert not webhook.received
    result = rasid("once", "-c", str(config))
    assert result.returncode == 0, result.stderr
    titles = [m["title"] for m in webhook.received]
    archived = {a["title"] for a in _archive(tmp_path)}
    assert sorted(titles) == sorted(archived) and len(titles) == len(set(titles))


def test_one_dead_channel_does_not_delay_the_other(tmp_path, site_config, webhook):
    site_config["channels"]["dead"] = "json://127.0.0.1:9/nothing-listens"
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    started = time.monotonic()
    result = rasid("once", "-c", str(config))
    assert result.returncode == 0, result.stderr
    assert webhook.received and len(webhook.received) == len(_archive(tmp_path))
    assert time.monotonic() - started < 60


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_mail_arrives_with_html_and_text_parts_right_to_left(tmp_path, smtp_server):
    controller, inbox = smtp_server
    url = f"mailto://127.0.0.1:{controller.port}?from=rasid@example.com&to=desk@example.com"
    config = write_config(tmp_path / "mail.yaml", sources=[
        {"name": "s", "feed": "http://127.0.0.1:9/rss.xml"}], channels={"mail": url})
    result = rasid("test-alert", "-c", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mail: ok" in result.stdout
    (message,) = inbox.messages
    assert message["Subject"] == "رسالة تجريبية من راصد: هذا ما سيصلك عند ظهور خبر جديد"
    html_part = message.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html_part and "<b>داعش</b>" in html_part
    assert "هذه رسالة اختبار" in message.get_body(("plain",)).get_content()


def test_test_alert_reports_each_channel(tmp_path, webhook):
    config = write_config(tmp_path / "t.yaml", sources=[
        {"name": "s", "feed": "http://127.0.0.1:9/rss.xml"}],
        channels={"hook": webhook.url, "dead": "json://127.0.0.1:9/x"})
    result = rasid("test-alert", "-c", str(config))
    assert result.returncode == 1
    assert "hook: ok" in result.stdout and "dead: FAILED" in result.stdout
    assert len(webhook.received) == 1
    only = rasid("test-alert", "-c", str(config), "--channel", "hook")
    assert only.returncode == 0 and "dead" not in only.stdout


def test_dead_letters_are_listed_and_requeued_by_the_cli(tmp_path, site_config, webhook):
    site_config["alerts"] = {"dead_letter_after": "1s", **FAST_RETRY}
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    webhook.status = 500
    assert rasid("once", "-c", str(config)).returncode == 0
    time.sleep(2.5)  # older than dead_letter_after, past the backoff
    assert rasid("once", "-c", str(config)).returncode == 0
    failed = rasid("alerts", "--failed", "-c", str(config))
    assert failed.returncode == 0 and failed.stdout.count("error:") == len(_archive(tmp_path))
    webhook.status = 200
    assert "requeued" in rasid("alerts", "--retry", "-c", str(config)).stdout
    site_config["alerts"] = FAST_RETRY
    write_config(tmp_path / "rasid.yaml", **site_config)
    assert rasid("once", "-c", str(config)).returncode == 0
    assert len(webhook.received) == len(_archive(tmp_path))
    assert "dead letters: 0" in rasid("alerts", "-c", str(config)).stdout


def test_the_daemon_serves_atom_feeds_of_matched_articles(tmp_path, site_config, news_site):
    port = free_port()
    site_config["http"] = {"listen": f"127.0.0.1:{port}"}
    daemon = start_daemon(write_config(tmp_path / "rasid.yaml", **site_config))
    try:
        assert wait_for(lambda: len(_archive(tmp_path)) >= 2, 30)
        base = f"http://127.0.0.1:{port}/feeds"
        everything = feedparser.parse(urllib.request.urlopen(f"{base}/all.atom").read())
        isis = feedparser.parse(urllib.request.urlopen(f"{base}/isis.atom").read())
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{base}/nope.atom")
    finally:
        stop_daemon(daemon)
    assert {e.link for e in everything.entries} == {a["url"] for a in _archive(tmp_path)}
    (entry,) = isis.entries
    assert "داعش" in entry.title and entry.summary
    assert "<p>" in entry.content[0].value  # the body paragraphs travel with the entry
