"""The seed article (../shared/seeds/000_093c9e5cf33c81bc.txt, copied to
tests/golden/seed/input.txt) against its reviewed expected record."""

import json
from pathlib import Path

import pytest

from extract import extract_record, record_to_json
from scraper.textdump import parse_text_dump

REPO = Path(__file__).resolve().parents[2]
SEED_NAME = "000_093c9e5cf33c81bc.txt"
SHARED_SEED = REPO.parent / "shared" / "seeds" / SEED_NAME
FOLDER = REPO / "tests" / "golden" / "seed"
FIELDS = ("officials", "hospitals", "dates", "periods", "figures")


@pytest.fixture(scope="module")
def record():
    article = parse_text_dump((FOLDER / "input.txt").read_text(encoding="utf-8"))
    return record_to_json(extract_record(article))


@pytest.fixture(scope="module")
def expected():
    return json.loads((FOLDER / "expected.json").read_text(encoding="utf-8"))


def test_fixture_is_a_copy_of_the_shared_seed():
    if not SHARED_SEED.exists():
        pytest.skip("shared seed folder not present")
    assert SHARED_SEED.read_text(encoding="utf-8") == (FOLDER / "input.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", FIELDS)
def test_seed_field_matches_expected(record, expected, field):
    assert record[field] == expected[field]


def test_seed_officials(record):
    assert [(o["name"], o["titles"]) for o in record["officials"]] == [
        ("Lê Đức Luận", ["Thứ trưởng Bộ Y tế"]),
        ("Nguyễn Đức Trung", ["Phó Bí thư Tỉnh ủy Nghệ An", "Chủ tịch UBND tỉnh Nghệ An"]),
    ]


def test_seed_hospitals_dates_periods(record):
    assert [h["name"] for h in record["hospitals"]] == [
        "Bệnh viện Bạch Mai", "Bệnh viện Hữu nghị Đa khoa Nghệ An"]
    assert [(d["text"], d["value"], d["part_of_day"], d["granularity"]) for d in record["dates"]] == [
        ("Chiều 12/10", "2024-10-12", "chiều", "day")]
    assert [(p["text"], p["kind"], p["start_year"], p["end_year"]) for p in record["periods"]] == [
        ("giai đoạn 2024 – 2030", "giai đoạn", 2024, 2030)] * 2 + [
        ("5 năm qua", "relative", 2019, 2024)]  # anchored to publication (October 2024)


def test_seed_figures(record):
    assert [(f["text"], f["value"], f["qualifier"]) for f in record["figures"]] == [
        ("65 gói kỹ thuật", 65, None), ("20 chuyên ngành", 20, None),
        ("hơn 500 lượt cán bộ y tế", 500, "hơn"), ("46 lượt chuyên gia", 46, None),
        ("10 khóa đào tạo", 10, None), ("gần 1.000 học viên", 1000, "gần"),
        ("20 bệnh viện công lập", 20, None), ("17 bệnh viện ngoài công lập", 17, None),
        ("460 trạm y tế", 460, None), ("20.386 người", 20386, None),
        ("hơn 4.400 bác sĩ", 4400, "hơn"), ("12,9 bác sĩ/vạn dân", 12.9, None),
        ("83%", 83, None), ("11 huyện miền núi", 11, None),
    ]
    assert record["figures"][2]["unit"] == "lượt cán bộ y tế"


def test_seed_has_no_signing(record):
    assert record["agreements"] == []
