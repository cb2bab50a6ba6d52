"""Text helpers for messages: escaping per markup, cutting at word boundaries, direction."""
from __future__ import annotations

import re
import unicodedata

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<])")
# Telegram MarkdownV2: every one of these must be escaped outside entities.
TELEGRAM_SPECIAL = re.compile(r"([_*\[\]()~`>#+\-=|{}.!\\])")
ELLIPSIS = "…"


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown (Discord, Mattermost) so a headline stays plain text."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def escape_telegram_v2(text: str) -> str:
    """Escape for Telegram MarkdownV2 (for user templates that choose that parse mode)."""
    return TELEGRAM_SPECIAL.sub(r"\\\1", str(text))


def escape_slack(text: str) -> str:
    """Slack mrkdwn: &, < and > as entities; formatting marks broken by a zero-width space."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([*_~`])", "\u200b\\1\u200b", text)


def cut_words(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ""
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip() + ELLIPSIS


def is_rtl(text: str) -> bool:
    """True when most letters are from a right-to-left script (Arabic, Persian, Hebrew)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    rtl = sum(unicodedata.bidirectional(c) in ("R", "AL") for c in letters)
    return rtl * 2 > len(letters)
