"""Bylines: real ones pass, place names and institutions do not (scraper.bylines)."""

from __future__ import annotations

import pytest

from scraper.bylines import is_byline, places, split_authors


@pytest.mark.parametrize(("line", "authors"), [
    ("Thái Dương – Trường Ca", ["Thái Dương", "Trường Ca"]),
    ("Đức Minh, Thiên Thanh", ["Đức Minh", "Thiên Thanh"]),
    ("Lê Phương", ["Lê Phương"]),
    ("(BTV) Lê Phương", ["Lê Phương"]),
    ("Thành Chung", ["Thành Chung"]),
    ("Hồ Sỹ Toàn", ["Hồ Sỹ Toàn"]),
    ("Trung Hiếu và Công Phượng", ["Trung Hiếu", "Công Phượng"]),
])
def test_real_bylines(line: str, authors: list[str]) -> None:
    assert is_byline(line) and split_authors(line) == authors


@pytest.mark.parametrize("line", [
    "Nghệ An", "Hà Nội – Hải Phòng", "Thừa Thiên Huế", "Bà Rịa - Vũng Tàu", "TP. Hồ Chí Minh",
    "Tây Nguyên", "Tỉnh Nghệ An", "TP Vinh", "Thành phố Vinh", "Báo Nghệ An", "Theo Báo Nghệ An",
    "Trung tâm Y tế", "Sở Y Tế Hà Tĩnh",
])
def test_places_and_institutions_are_not_bylines(line: str) -> None:
    assert not is_byline(line)


def test_an_author_element_may_name_a_reporter_like_a_province() -> None:
    assert is_byline("Hà Giang", allow_places=True) and not is_byline("Hà Giang")
    assert not is_byline("Tỉnh Hà Giang", allow_places=True)  # an institution stays out


def test_place_lexicon_covers_every_province_of_the_site_table() -> None:
    from scraper.urlinfo import _province_table

    names = {p for pair in _province_table().values() for p in pair}
    assert {n.casefold() for n in names} <= places()
