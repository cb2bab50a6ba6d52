"""Generic article extraction from news pages."""
from __future__ import annotations

from crawler.extract.article import ExtractionError, extract_article

__all__ = ["ExtractionError", "extract_article"]
