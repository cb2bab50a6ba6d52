"""The config's `profiles:` list: site profiles (selectors per field), validated like the rest."""
from __future__ import annotations

from crawler.extract.profile import Profile

from .section import Section


class ProfileConfig(Section, Profile):
    """A site profile in the config: crawler.extract.profile.Profile with the config's errors."""
