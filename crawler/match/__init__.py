"""Topic matching: Arabic-aware keyword search over normalised article text."""
from __future__ import annotations

from .keywords import REGEX_PREFIX, compile_term
from .normalize import normalize
from .topics import MATCH_FIELDS, MatchHit, Topic, TopicMatch, TopicMatcher

__all__ = [
    "MATCH_FIELDS", "REGEX_PREFIX", "MatchHit", "Topic", "TopicMatch", "TopicMatcher", "compile_term",
    "normalize",
]
