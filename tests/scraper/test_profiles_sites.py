"""The built-in site profiles, the discovery keys' validation, targets, `vnnews sites`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corpus.cli import main
from scraper.errors import InputError, ProfileError
from scraper.profiles import builtin_profiles, load_profile, resolve
from scraper.scope import GENERIC, resolve_target

TSV = Path(__file__).resolve().parents[2] / "scraper" / "sites" / "provincial_tv.tsv"


def _sites():
    return [p for p in builtin_profiles() if p.domains]


def test_at_least_twelve_site_profiles_with_provinces_from_the_table() -> None:
    rows = {r["domain"]: r for r in csv.DictReader(TSV.read_text("utf-8").splitlines(), delimiter="\t")}
    sites = _sites()
    assert len(sites) >= 12
    assert {"truyenhinhnghean", "bacninhtv"} <= {p.name for p in sites}
    for p in sites:
        row = rows[p.domains[0]]
        assert p.province in (row["province_from_2025_07"], row["province_until_2025_06"]), p.name
        assert p.discovery.article_url_pattern is not None and p.discovery.listing_pages, p.name
        assert p.start_url == f"https://{p.domains[0]}/"
        assert p.verified is False  # none checked against a saved page of the live site yet


def test_techcity_family_members_inherit_discovery() -> None:
    by_name = {p.name: p for p in builtin_profiles()}
    nghean = by_name["truyenhinhnghean"]
    assert nghean.discovery.cms_list_path == "/sc_service/api/article/list"
    assert nghean.discovery.article_url_pattern.search("/thoi-su/202503/ky-ket-1a2b3c4/")
    assert "/thoi-su" in nghean.discovery.listing_pages and "powered by techcity" in nghean.markers


@pytest.mark.parametrize(("table", "message"), [
    ('pagination = "?page=2"', "needs {n}"),
    ('max_listing_pages = "30"', "expected an integer"),
    ("max_listing_pages = true", "expected an integer"),
    ('follow_links = "yes"', "expected a bool"),
    ('cms_list_units = "12"', "expected a list of strings"),
    ('listing_url_pattern = "(("', "listing_url_pattern"),
    ('sitemap = ["/sitemap.xml"]', "unknown key 'sitemap'"),
])
def test_discovery_keys_are_validated(tmp_path: Path, table: str, message: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(f'name = "p"\n[discovery]\n{table}\n', "utf-8")
    with pytest.raises(ProfileError, match=message.replace("(", r"\(").replace("{", r"\{").replace("}", r"\}")):
        load_profile(path)


def test_verified_must_be_a_bool(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('name = "p"\nverified = "no"\n', "utf-8")
    with pytest.raises(ProfileError, match="verified: expected a bool"):
        load_profile(path)


def test_site_discovery_keys_replace_the_family_key_by_key(tmp_path: Path) -> None:
    fam = tmp_path / "fam.toml"
    fam.write_text('name = "fam"\n[discovery]\nfeeds = ["/rss"]\npagination = "{listing}?p={n}"\n', "utf-8")
    site = tmp_path / "s.toml"
    site.write_text('name = "s"\nextends = "fam"\ndomains = ["s.vn"]\n[discovery]\nfeeds = ["/atom"]\n', "utf-8")
    _, merged = resolve([load_profile(fam), load_profile(site)])
    assert merged.discovery.feeds == ("/atom",) and merged.discovery.pagination == "{listing}?p={n}"


def test_targets() -> None:
    target = resolve_target("truyenhinhnghean")
    assert target.start_url == "https://truyenhinhnghean.vn/" and target.profile.name == "truyenhinhnghean"
    assert resolve_target("https://www.bacninhtv.vn/y-te").profile.name == "bacninhtv"
    assert resolve_target("http://127.0.0.1:8000/").profile is GENERIC
    with pytest.raises(InputError, match="neither a profile name"):
        resolve_target("no-such-site")


def test_sites_list_and_check(tmp_path: Path, capsys) -> None:
    assert main(["sites", "list"]) == 0
    out = capsys.readouterr().out
    assert "truyenhinhnghean" in out and "bacninhtv" in out and "unverified" in out
    good = Path(__file__).resolve().parents[2] / "scraper" / "sites" / "bacninhtv.toml"
    assert main(["sites", "check", str(good)]) == 0
    assert "ok" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n[discovery]\nlisting = ["/"]\n', "utf-8")
    assert main(["sites", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'listing'" in err and len(err.strip().splitlines()) == 1


def _sample_article_urls() -> list[str]:
    """Article URLs of the hand-built sample pages (tests/golden_pages meta.toml, the demo
    site's canonical links): imitations of the sites' layouts, not saved live pages."""
    import re
    import tomllib

    repo = Path(__file__).resolve().parents[2]
    urls = [tomllib.loads(p.read_text("utf-8"))["url"] for p in (repo / "tests" / "golden_pages").glob("*/meta.toml")]
    for page in (repo / "corpus" / "demo_site").rglob("index.html"):
        m = re.search(r'<link rel="canonical" href="([^"]+)"', page.read_text("utf-8"))
        if m and len(page.relative_to(repo / "corpus" / "demo_site").parts) > 2:
            urls.append(m.group(1))
    return urls


def test_article_patterns_match_the_sample_pages_of_their_sites() -> None:
    from urllib.parse import urlsplit

    from scraper.scope import Scope, Target

    checked = 0
    for url in _sample_article_urls():
        target = resolve_target(url)
        if target.profile is GENERIC:
            continue
        assert Scope([target]).classify(url, target.profile) == "article", (target.profile.name, url)
        assert urlsplit(url).path not in target.profile.discovery.listing_pages
        checked += 1
    assert checked >= 10
