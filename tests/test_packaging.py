"""The installed distribution ships its data and its console script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib import metadata

import pytest


def _dist_files() -> list[str]:
    try:
        dist = metadata.distribution("vnnews")
    except metadata.PackageNotFoundError:
        pytest.fail("the vnnews distribution is not installed: run `pip install '.[test]'` first")
    return [str(f) for f in dist.files or []]


def test_package_data_is_in_the_distribution():
    files = _dist_files()
    if any(f.endswith(".pth") for f in files) and not any("demo_site" in f for f in files):
        pytest.fail("editable install: package data is checked on a regular install (pip install '.[test]')")
    assert any(f.startswith("scraper/sites/") and f.endswith(".tsv") for f in files)
    assert any(f.startswith("scraper/sites/") and f.endswith(".toml") for f in files)
    assert any(f.startswith("extract/lexicons/") for f in files)
    assert any(f.startswith("corpus/demo_site/") and f.endswith(".html") for f in files)
    assert any(f.startswith("corpus/webui_templates/") and f.endswith(".html") for f in files)


def test_console_script_is_declared_and_runs():
    eps = [ep for ep in metadata.entry_points(group="console_scripts") if ep.name == "vnnews"]
    assert eps and eps[0].value == "corpus.cli:main"
    exe = shutil.which("vnnews") or shutil.which("vnnews", path=str(__import__("pathlib").Path(sys.executable).parent))
    assert exe, "the vnnews console script is not on PATH"
    proc = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "extract" in proc.stdout and "search" in proc.stdout
