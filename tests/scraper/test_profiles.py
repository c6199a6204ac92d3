"""Site profiles: strict TOML validation, extends, selection by domain or marker."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.errors import ProfileError
from scraper.profiles import builtin_profiles, load_profile, profile_for, resolve


def _write(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_builtin_techcity_profile_loads() -> None:
    (techcity,) = [p for p in builtin_profiles() if p.name == "techcity"]
    assert "powered by techcity" in techcity.markers
    assert techcity.selectors.body and techcity.drop
    assert techcity.discovery.article_url_pattern.search("/thoi-su/202410/hop-tac-19f3bd7/")


@pytest.mark.parametrize(("text", "message"), [
    ('name = "x"\ntitel = "y"\n', "unknown key 'titel'"),
    ('name = "x"\n[selectors]\ntitel = ["h1"]\n', "selectors: unknown key 'titel'"),
    ('name = "x"\n[selectors]\ntitle = "h1"\n', "selectors.title: expected a list of strings"),
    ('name = "x"\n[selectors]\ntitle = ["h1[["]\n', "invalid CSS selector"),
    ('name = "x"\ndrop = ["::::"]\n', "invalid CSS selector"),
    ('name = "x"\n[discovery]\narticle_url_pattern = "(unclosed"\n', "article_url_pattern"),
    ('description = "no name"\n', "'name' is required"),
    ('name = "x"\nname = "y"\n', "p.toml"),  # TOML syntax error, named by file
])
def test_invalid_profiles_are_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ProfileError, match=message.replace("[", r"\[")):
        load_profile(_write(tmp_path, text))


def test_site_profile_extends_family(tmp_path: Path) -> None:
    family = load_profile(_write(tmp_path, 'name = "fam"\nmarkers = ["Powered by X"]\ndrop = [".ads"]\n'
                                           '[selectors]\nbody = [".content"]\ntitle = ["h1"]\n', "fam.toml"))
    site = load_profile(_write(tmp_path, 'name = "s"\nextends = "fam"\ndomains = ["Example.vn"]\n'
                                         'drop = [".poll"]\n[selectors]\ntitle = ["h1.t"]\n', "s.toml"))
    fam, merged = resolve([family, site])
    assert merged.selectors.title == ("h1.t",) and merged.selectors.body == (".content",)
    assert merged.drop == (".ads", ".poll")
    assert profile_for("https://m.example.vn/a", "", (fam, merged)) is merged
    assert profile_for("https://other.vn/a", "<p>powered by x</p>", (fam, merged)) is fam
    assert profile_for("https://other.vn/a", "<p>nothing</p>", (fam, merged)) is None
    with pytest.raises(ProfileError, match="unknown profile"):
        resolve([site])
