"""Rasid's own local Arabic news site, for `make demo` and as the tests' fixture site."""
from __future__ import annotations

from demo.catalogue import CatalogueEntry, CatalogueError, load_catalogue
from demo.site import NewsSite, PublishedArticle

__all__ = ["CatalogueEntry", "CatalogueError", "NewsSite", "PublishedArticle", "load_catalogue"]
