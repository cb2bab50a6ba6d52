"""Rasid's configuration: load a YAML file into validated models, or explain what is wrong."""
from __future__ import annotations

from .loader import ConfigError, load_config
from .models import Config, Source, TopicConfig

__all__ = ["Config", "ConfigError", "Source", "TopicConfig", "load_config"]
