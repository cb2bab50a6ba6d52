"""Canonical article URLs and their fingerprints."""
from __future__ import annotations

import hashlib

from w3lib.url import canonicalize_url, url_query_cleaner

TRACKING_PARAMS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ocid", "at_medium",
    "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4", "ref", "cmp",
)


def canonical_url(url: str) -> str:
    """The URL an article is known by: tracking parameters and fragment removed, query sorted."""
    cleaned = url_query_cleaner(url, TRACKING_PARAMS, remove=True, keep_fragments=False)
    return canonicalize_url(cleaned, keep_fragments=False)


def url_fingerprint(url: str) -> str:
    """16 hex digits identifying an article by its canonical URL (the seed file name's tail)."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()[:16]
