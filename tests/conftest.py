"""Shared fixtures: paths to the repository, the shared folder and a fresh corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def fresh_db(tmp_path: Path) -> str:
    return str(tmp_path / "corpus.db")
