"""Page -> Article: site profiles, structured data, trafilatura and DOM heuristics."""
from __future__ import annotations

from crawler.extract.article import ExtractionError, extract_article, extract_explained
from crawler.extract.profile import Profile, Profiles

__all__ = ["ExtractionError", "Profile", "Profiles", "extract_article", "extract_explained"]
