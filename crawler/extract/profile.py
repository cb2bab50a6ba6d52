"""Site profiles: CSS or XPath selectors per field for the sites whose pages need them.

A profile applies to a page whose host is one of its `domains` or a subdomain of one. Built-in
profiles ship in `crawler/extract/profiles/*.yaml`; the config's `profiles:` list adds more and
replaces a built-in one of the same name (setting RASID_PROFILES). A field whose selectors match
nothing falls through to the generic layers, so a profile only needs the fields it fixes.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib.resources import files
from typing import Annotated, Any

from cssselect import SelectorError
from lxml import etree
from lxml.html import HtmlElement
from parsel.csstranslator import HTMLTranslator
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from ruamel.yaml import YAML

logger = logging.getLogger(__name__)

FIELDS = ("title", "teaser", "image_caption", "body", "sections", "related", "published", "authors")
_XPATH_START = ("/", "(", "./", "..")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*")


def selector_xpath(selector: str) -> str:
    """The XPath of a selector: XPath as given (starting / ( ./), else CSS with ::text, ::attr()."""
    selector = selector.strip()
    if selector.startswith(_XPATH_START):
        return selector
    return HTMLTranslator().css_to_xpath(selector)


@lru_cache(maxsize=1024)
def compiled(selector: str) -> etree.XPath:
    """The compiled XPath of a selector; ValueError with the reason when it is not valid."""
    try:
        return etree.XPath(selector_xpath(selector))
    except SelectorError as exc:
        raise ValueError(f"bad CSS selector {selector!r}: {exc}") from None
    except etree.XPathSyntaxError as exc:
        raise ValueError(f"bad XPath {selector!r}: {exc}") from None


def check_selector(selector: str) -> str:
    """A selector that compiles (for pydantic validators); ValueError naming the problem."""
    if not selector.strip():
        raise ValueError("must not be empty")
    compiled(selector)
    return selector


def check_domain(domain: str) -> str:
    """A lowercased host name such as 'aljazeera.net' (no scheme, path or port)."""
    domain = domain.strip().lower().removeprefix("www.")
    if not _DOMAIN.fullmatch(domain):
        raise ValueError(f"{domain!r} is not a host name (write it like 'example.com', no scheme or path)")
    return domain


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _some_domain(domains: list[str]) -> list[str]:
    if not domains:
        raise ValueError("must list at least one host name, e.g. [example.com]")
    return domains


Selector = Annotated[str, AfterValidator(check_selector)]
Selectors = Annotated[list[Selector], BeforeValidator(_as_list)]
Domain = Annotated[str, AfterValidator(check_domain)]


class Profile(BaseModel):
    """Selectors for one site's pages; each field takes one selector or a list (first match wins)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, pattern=r"\S")]
    domains: Annotated[list[Domain], BeforeValidator(_as_list), AfterValidator(_some_domain)]
    remove: Selectors = Field(default_factory=list)
    title: Selectors = Field(default_factory=list)
    teaser: Selectors = Field(default_factory=list)
    image_caption: Selectors = Field(default_factory=list)
    body: Selectors = Field(default_factory=list)
    sections: Selectors = Field(default_factory=list)
    related: Selectors = Field(default_factory=list)
    published: Selectors = Field(default_factory=list)
    authors: Selectors = Field(default_factory=list)

    def match_length(self, host: str) -> int:
        """The length of the domain this profile matches the host with, 0 when it does not."""
        host = host.lower().removeprefix("www.")
        return max((len(d) for d in self.domains if host == d or host.endswith("." + d)), default=0)

    def select_all(self, tree: HtmlElement, field: str) -> list[Any]:
        """What all of the field's selectors find (for `remove`)."""
        found: list[Any] = []
        for selector in getattr(self, field):
            result = compiled(selector)(tree)
            found += result if isinstance(result, list) else [result]
        return found

    def select(self, tree: HtmlElement, field: str) -> list[Any]:
        """What the field's first matching selector finds: elements, or strings for ::text/@attr."""
        for selector in getattr(self, field):
            found = compiled(selector)(tree)
            if found:
                return found if isinstance(found, list) else [found]
        return []


class Profiles:
    """The profiles Rasid knows, most specific domain first; user profiles before built-in ones."""

    def __init__(self, profiles: Iterable[Profile]) -> None:
        self.profiles = list(profiles)

    @classmethod
    def with_builtins(cls, user: Iterable[Profile | dict[str, Any]] = ()) -> Profiles:
        """The user's profiles, then the built-in ones whose names the user did not take."""
        mine = [p if isinstance(p, Profile) else Profile.model_validate(p) for p in user]
        taken = {p.name for p in mine}
        return cls([*mine, *(p for p in builtin_profiles() if p.name not in taken)])

    def for_host(self, host: str) -> Profile | None:
        """The profile for a page on this host, or None."""
        best, length = None, 0
        for profile in self.profiles:
            if (n := profile.match_length(host)) > length:
                best, length = profile, n
        return best

    def __len__(self) -> int:
        return len(self.profiles)


@cache
def builtin_profiles() -> tuple[Profile, ...]:
    """The profiles shipped in crawler/extract/profiles/*.yaml."""
    yaml = YAML(typ="safe")
    found = []
    for path in sorted(files("crawler.extract").joinpath("profiles").iterdir(), key=lambda p: p.name):
        if path.name.endswith((".yaml", ".yml")):
            found.append(Profile.model_validate(yaml.load(path.read_text(encoding="utf-8"))))
    return tuple(found)
