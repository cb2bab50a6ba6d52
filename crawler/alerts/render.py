"""Messages per channel kind from Jinja2 templates, escaped for each markup, within each limit."""
from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from apprise import NotifyFormat
from jinja2 import Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from crawler.alerts.alert import Alert
from crawler.alerts.kinds import ChannelKind, kind_for
from crawler.alerts.text import (
    cut_words,
    escape_markdown,
    escape_slack,
    escape_telegram_v2,
    is_rtl,
)

RLM = "\u200f"
LABELS = {"ar": {"keywords": "الكلمات", "read": "اقرأ الخبر"},
          "en": {"keywords": "keywords", "read": "read"}}


@dataclass
class Message:
    """What Apprise gets: a title, a body and the body's format."""

    title: str
    body: str
    format: str


def _environment(loader: Any) -> Environment:
    env = Environment(loader=loader, autoescape=select_autoescape(["telegram.j2", "email.j2"]),
                      undefined=StrictUndefined, keep_trailing_newline=False,
                      trim_blocks=False)
    env.filters["md"] = escape_markdown
    env.filters["slack"] = escape_slack
    env.filters["tg"] = escape_telegram_v2  # for templates that choose Telegram's MarkdownV2
    return env


BUILTIN = _environment(PackageLoader("crawler.alerts", "templates"))


def _marker(kind: ChannelKind) -> Callable[[str, str], str]:
    """marked(snippet, form): the snippet escaped for the channel, the matched form emphasised."""
    escape = {"html": html.escape, "markdown": escape_markdown, "slack": escape_slack}.get(
        kind.markup, lambda s: s)
    open_, close = {"html": ("<b>", "</b>"), "markdown": ("**", "**"), "slack": ("*", "*")}.get(
        kind.markup, ("«", "»"))

    def marked(snippet: str, form: str) -> str:
        at = snippet.find(form) if form else -1
        if at < 0:
            text = escape(snippet)
        else:
            text = (escape(snippet[:at]) + open_ + escape(form) + close
                    + escape(snippet[at + len(form):]))
        return Markup(text) if kind.markup == "html" else text

    return marked


class Renderer:
    """Renders alerts and digests for one channel (its kind, its optional own template)."""

    def __init__(self, scheme: str, template: str | None = None) -> None:
        self.kind = kind_for(scheme)
        self.custom = _environment(FileSystemLoader(str(Path(template).parent))) \
            .get_template(Path(template).name) if template else None

    def alert(self, alert: Alert) -> Message:
        if self.kind.name == "jsonl":
            return Message(alert.title, alert.to_json(), NotifyFormat.TEXT)
        template = self.custom or BUILTIN.get_template(f"alert.{self.kind.name}.j2")
        return self._fit(lambda a: self._render(template, alert=a), alert)

    def digest(self, alerts: Sequence[Alert]) -> Message:
        if self.kind.name == "jsonl":
            body = "\n".join(a.to_json() for a in alerts)
            return Message("digest", body, NotifyFormat.TEXT)
        template = BUILTIN.get_template(f"digest.{self.kind.name}.j2")
        rtl = any(is_rtl(a.title) for a in alerts)
        body = self._render(template, groups=group_by_topic(alerts), rtl=rtl).strip()
        title = f"Rasid: {len(alerts)} {'خبر' if rtl else 'articles'}"
        return Message("" if self.kind.title_in_body else title,
                       cut_words(body, self.kind.limit), self.kind.format)

    def _render(self, template: Any, rtl: bool | None = None, **context: Any) -> str:
        alert = context.get("alert")
        if rtl is None:
            rtl = alert is not None and (alert.lang == "ar" or is_rtl(alert.title))
        # a right-to-left mark starts each line where there is no dir="rtl" to say it
        mark = RLM if rtl and self.kind.name != "email" else ""
        text = template.render(rtl=rtl, rtl_mark=mark, marked=_marker(self.kind),
                               labels=LABELS["ar" if rtl else "en"], **context)
        return unicodedata.normalize("NFC", text)

    def _fit(self, render: Callable[[Alert], str], alert: Alert) -> Message:
        """Shorten the teaser, then the snippets, at word boundaries until the body fits."""
        body = render(alert).strip()
        budget = len(alert.teaser)
        while len(body) > self.kind.limit and budget > 0:
            budget = max(0, budget - (len(body) - self.kind.limit) - 20)
            trimmed = replace(alert, teaser=cut_words(alert.teaser, budget),
                              snippets=alert.snippets[:1] if budget < 200 else alert.snippets)
            body = render(trimmed).strip()
        title = "" if self.kind.title_in_body else alert.title
        return Message(title, cut_words(body, self.kind.limit), self.kind.format)


def group_by_topic(alerts: Sequence[Alert]) -> list[dict[str, Any]]:
    """Digest groups: per topic, one entry per story (its first alert), in arrival order."""
    groups: dict[str, dict[str, Alert]] = {}
    for alert in alerts:
        groups.setdefault(alert.topic, {}).setdefault(alert.story, alert)
    return [{"topic": topic, "stories": list(stories.values())}
            for topic, stories in groups.items()]


