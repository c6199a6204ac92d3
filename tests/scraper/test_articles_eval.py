"""``vnnews eval-articles DIR``: the table, JSON, exit codes, help."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corpus.cli import build_parser, main
from scraper.evaluate_articles import fold, match

GOLDEN = Path(__file__).resolve().parents[1] / "golden_pages"


def test_help_has_an_example() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    text = sub.choices["eval-articles"].format_help()
    assert any(line.startswith("Example: vnnews eval-articles") for line in text.splitlines())


def test_table_on_the_golden_pages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval-articles", str(GOLDEN), "--no-trafilatura"]) == 0
    out = capsys.readouterr().out
    assert "overall" in out and "floors" in out and ": met" in out


def test_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval-articles", str(GOLDEN), "--no-trafilatura", "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[-1]["page"] == "overall" and rows[-1]["floors_met"] is True
    assert len(rows) == len(list(GOLDEN.glob("*/expected.json"))) + 1


def test_a_leak_fails_the_floors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = sorted(p.parent.name for p in GOLDEN.glob("*/expected.json"))[0]
    shutil.copytree(GOLDEN / name, tmp_path / name)
    exp_path = tmp_path / name / "expected.json"
    exp = json.loads(exp_path.read_text("utf-8"))
    exp["must_not_contain"].append(exp["paragraphs"][0][:25])
    exp_path.write_text(json.dumps(exp, ensure_ascii=False), "utf-8")
    assert main(["eval-articles", str(tmp_path), "--no-trafilatura"]) == 1
    assert "NOT met on " + name in capsys.readouterr().out


def test_empty_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval-articles", str(tmp_path)]) == 2
    assert "no pages" in capsys.readouterr().err


def test_fuzzy_paragraph_matching_is_one_to_one() -> None:
    a = "Bệnh viện Bạch Mai chuyển giao 52 gói kỹ thuật cho 9 bệnh viện của tỉnh trong giai đoạn 2020 – 2024."
    assert match([a, a], [a.replace("52", "53")]) == [0]  # a near-copy matches once
    assert match([a], ["Một đoạn khác hẳn."]) == []
    assert fold("  Bệnh   VIỆN ") == "bệnh viện"


def test_real_page_floors(real_pages: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval-articles", str(real_pages), "--no-trafilatura"]) == 0
    assert "vnexpress_2025-10-22_cho-ray" in capsys.readouterr().out
