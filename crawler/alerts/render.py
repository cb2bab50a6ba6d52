"""Message bodies for each channel: a readable text for people, a JSON line for archives."""
from __future__ import annotations

from crawler.alerts.alert import Alert

MACHINE_SCHEMES = {"jsonl", "json"}


def render_title(alert: Alert) -> str:
    return f"[{alert.topic}] {alert.title}"


def render_text(alert: Alert) -> str:
    """The human form (the title travels separately): site, teaser, matched keywords, link."""
    lines = []
    meta = " · ".join(x for x in (alert.site, alert.published, f"topic: {alert.topic}") if x)
    lines.append(meta)
    if alert.teaser:
        lines.append(alert.teaser)
    lines.append("keywords: " + "، ".join(alert.keywords))
    if alert.url:
        lines.append(alert.url)
    return "\n".join(lines)


def render_body(alert: Alert, scheme: str) -> str:
    """A JSON object for the jsonl archive, readable text for everything else."""
    if scheme == "jsonl":
        return alert.to_json()
    return render_text(alert)
