"""Site profiles: the built-in ones, matching by host, selectors, and `profiles:` in the config."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from crawler.extract import Profile, Profiles, extract_explained
from crawler.extract.profile import builtin_profiles
from scheduler.config import ConfigError, load_config
from scheduler.crawl_settings import rasid_settings

PAGES = Path(__file__).resolve().parent / "data" / "pages"
MINIMAL = "sources:\n  - name: a\n    feed: https://example.com/rss\n"


def test_builtin_profiles_load_and_name_their_sites() -> None:
    profiles = builtin_profiles()
    assert profiles, "no built-in profile shipped"
    assert len({p.name for p in profiles}) == len(profiles)
    for profile in profiles:
        assert profile.domains and any(getattr(profile, field) for field in
                                       ("title", "teaser", "image_caption", "body", "published"))


@pytest.mark.parametrize(
    ("host", "expected"),
    [("aljazeera.net", "aljazeera"), ("www.aljazeera.net", "aljazeera"),
     ("mubasher.aljazeera.net", "aljazeera"), ("notaljazeera.net", None), ("example.com", None)],
)
def test_profile_for_host(host: str, expected: str | None) -> None:
    profile = Profiles.with_builtins().for_host(host)
    assert (profile.name if profile else None) == expected


def test_the_most_specific_domain_wins_and_user_profiles_replace_builtins() -> None:
    profiles = Profiles.with_builtins([
        {"name": "aljazeera", "domains": ["aljazeera.com"], "title": "h1"},
        {"name": "mubasher", "domains": ["mubasher.aljazeera.net"], "title": "h1.big"},
    ])
    assert profiles.for_host("mubasher.aljazeera.net").name == "mubasher"
    assert profiles.for_host("www.aljazeera.com").title == ["h1"]
    assert profiles.for_host("www.aljazeera.net") is None  # the built-in one was replaced


def test_selectors_css_xpath_text_and_attributes() -> None:
    page = (b"<html><head><meta name='pub' content='2024-02-03T10:00:00Z'></head><body>"
            b"<div class='t'>Headline <b>bold</b></div><div class='t'>Second</div>"
            b"<p class='body'>First paragraph of the article text.</p>"
            b"<p class='body'>Second paragraph of the article text.</p>"
            b"<ul class='rel'><li><a href='/a'>Related one</a></li><li><a href='/b'>Related two</a></li></ul>"
            b"</body></html>")
    profile = {"name": "t", "domains": ["t.example"], "title": "div.t", "teaser": "div.t::text",
               "body": "//p[@class='body']", "published": "meta[name=pub]::attr(content)",
               "related": "ul.rel", "authors": ["span.none", "//div[@class='t'][2]"]}
    article, layers = extract_explained(page, url="https://t.example/x",
                                        profiles=Profiles([Profile.model_validate(profile)]))
    assert article.title == "Headline bold" and article.teaser == "Headline"
    assert article.body == ["First paragraph of the article text.", "Second paragraph of the article text."]
    assert article.published == "2024-02-03T10:00:00+00:00" and article.authors == ["Second"]
    assert [(r.title, r.url) for r in article.related] == [("Related one", "https://t.example/a"),
                                                           ("Related two", "https://t.example/b")]
    assert set(layers.values()) == {"profile"}


@pytest.mark.parametrize(
    ("profile", "error"),
    [({"name": "x", "domains": ["a.example"], "title": "h1["}, "bad CSS selector 'h1['"),
     ({"name": "x", "domains": ["a.example"], "body": ["p", "//div["]}, "bad XPath '//div['"),
     ({"name": "x", "domains": []}, "must list at least one host name"),
     ({"name": "x", "domains": ["https://a.example/"]}, "is not a host name"),
     ({"name": "x", "domains": ["a.example"], "colour": "red"}, "Extra inputs are not permitted"),
     ({"name": "", "domains": ["a.example"]}, "at least 1 character")],
    ids=["bad-css", "bad-xpath", "no-domains", "url-as-domain", "unknown-key", "empty-name"],
)
def test_invalid_profiles(profile: dict, error: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(error)):
        Profile.model_validate(profile)


def test_profiles_in_the_config_reach_the_crawl(tmp_path: Path) -> None:
    profiles = (PAGES / "profiles.yaml").read_text(encoding="utf-8")
    path = tmp_path / "rasid.yaml"
    path.write_text(MINIMAL + "profiles:\n" + "".join(f"  {line}\n" for line in profiles.splitlines()),
                    encoding="utf-8")
    config = load_config(path)
    settings = rasid_settings(config, "redis://localhost")
    assert [p["name"] for p in settings["RASID_PROFILES"]] == ["qanat-alshimal"]
    assert settings["RASID_PROFILES"][0]["remove"] == [".ilan"]
    rebuilt = Profiles.with_builtins(settings["RASID_PROFILES"])
    assert rebuilt.for_host("qanat-alshimal.example").body == [".nass .faqra"]


def test_config_profile_errors_name_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "rasid.yaml"
    path.write_text(MINIMAL + """\
profiles:
  - name: mysite
    domains: [mysite.example]
    title: "h1["
    body:
      - div.article p
      - "//div["
    colour: red
  - name: mysite
    domains: []
""", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.errors == [
        f"{path}:7: profiles[0].title[0]: bad CSS selector 'h1[': Expected ident or '*', got <EOF at 3>",
        f"{path}:10: profiles[0].body[1]: bad XPath '//div[': Invalid expression",
        f"{path}:11: profiles[0].colour: unknown key 'colour' (allowed: name, domains, remove, title, "
        "teaser, image_caption, body, sections, related, published, authors)",
        f"{path}:12: profiles[1].name: duplicate profile name 'mysite' (also profiles[0])",
        f"{path}:13: profiles[1].domains: must list at least one host name, e.g. [example.com]",
    ]


def test_the_readme_example_profile_is_valid_and_reads_its_page() -> None:
    readme = (PAGES.parent.parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Site profiles", 1)[1]
    example = yaml.safe_load(section.split("```yaml", 1)[1].split("```", 1)[0])["profiles"]
    profiles = Profiles([Profile.model_validate(p) for p in example])
    article, layers = extract_explained((PAGES / "ar-profile.html").read_bytes(),
                                        url="https://qanat-alshimal.example/akhbar/1", profiles=profiles)
    assert layers["body"] == layers["title"] == layers["published"] == "profile"
    assert not any("إعلان" in p for p in article.body)
