"""The article: the seed format's fields plus the metadata Rasid keeps beside them."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Related:
    """A related headline, with its link when the page gives one."""

    title: str
    url: str | None = None


@dataclass
class Article:
    """One news article in the fields of the seed format (see seeds/FORMAT.md)."""

    title: str = ""
    teaser: str = ""
    image_caption: str = ""
    body: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    url: str | None = None
    site: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    lang: str | None = None
    fingerprint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        related = [
            r if isinstance(r, Related) else Related(**r) if isinstance(r, dict) else Related(str(r))
            for r in known.pop("related", []) or []
        ]
        return cls(related=related, **known)
