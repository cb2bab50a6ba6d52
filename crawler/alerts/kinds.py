"""Channel kinds: which markup, length limit and template family an Apprise scheme gets."""
from __future__ import annotations

from dataclasses import dataclass

from apprise import NotifyFormat


@dataclass(frozen=True)
class ChannelKind:
    """How messages for a family of services are written."""

    name: str
    markup: str  # html | markdown | slack | text
    format: str  # what Apprise is told the body is
    limit: int  # characters per message
    title_in_body: bool = False  # the template shows the title; Apprise gets none


KINDS = {
    "text": ChannelKind("text", "text", NotifyFormat.TEXT, 10_000),
    "jsonl": ChannelKind("jsonl", "text", NotifyFormat.TEXT, 1_000_000),
    "telegram": ChannelKind("telegram", "html", NotifyFormat.HTML, 4_096, title_in_body=True),
    "email": ChannelKind("email", "html", NotifyFormat.HTML, 100_000),
    "markdown": ChannelKind("markdown", "markdown", NotifyFormat.MARKDOWN, 2_000,
                            title_in_body=True),
    "slack": ChannelKind("slack", "slack", NotifyFormat.MARKDOWN, 3_000, title_in_body=True),
}
SCHEMES = {
    "tgram": "telegram", "mailto": "email", "mailtos": "email", "discord": "markdown",
    "mmost": "markdown", "mmosts": "markdown", "matrix": "markdown", "matrixs": "markdown",
    "slack": "slack", "jsonl": "jsonl",
}


def kind_for(scheme: str) -> ChannelKind:
    return KINDS[SCHEMES.get(scheme.lower(), "text")]
