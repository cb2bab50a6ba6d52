"""Topic matching: Arabic-aware keyword search over normalised article text."""
from __future__ import annotations

from .normalize import normalize
from .topics import Topic, TopicMatch, TopicMatcher

__all__ = ["Topic", "TopicMatch", "TopicMatcher", "normalize"]
