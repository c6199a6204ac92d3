"""Issue 5 item 8: NFC and one tone-mark placement for all matching, offsets into the
stored text preserved — end to end, from a decomposed (NFD) text dump to the record."""

import unicodedata
from dataclasses import fields

from extract import extract_record
from extract.types import MENTION_TYPES
from scraper.textdump import parse_text_dump

PAGE = """Powered by Techcity

Thanh Hoá: Bệnh viện Đa khoa tỉnh ký kết với BV Hữu nghị Việt Đức

Chiều 14/1, UBND tỉnh Thanh Hoá và Bệnh viện Hữu nghị Việt Đức ký kết thỏa thuận hợp tác giai đoạn 2025 - 2030. Dự lễ có ông Đầu Thanh Tùng, Phó Bí thư Tỉnh uỷ, Chủ tịch UBND tỉnh Thanh Hoá; GS.TS. Trần Bình Giang, Giám đốc Bệnh viện Hữu nghị Việt Đức. Tỉnh có hơn 4.400 bác sĩ, đạt 12,9 bác sĩ/vạn dân.

Nguồn: https://baothanhhoa.vn/y-te/202501/ky-ket-1/
"""


def record(text):
    return extract_record(parse_text_dump(text, url="https://baothanhhoa.vn/y-te/202501/ky-ket-1/"))


def values(rec):
    return {k: [tuple(getattr(m, f.name) for f in fields(m)) for m in getattr(rec, k)] for k in MENTION_TYPES}


def test_nfd_page_gives_the_record_of_the_nfc_page():
    nfc, nfd = record(PAGE), record(unicodedata.normalize("NFD", PAGE))
    assert nfd.text == nfc.text == unicodedata.normalize("NFC", nfc.text)
    assert values(nfd) == values(nfc)
    assert all(values(nfc)[k] for k in ("dates", "officials", "hospitals", "periods", "figures", "agreements"))


def test_every_offset_points_into_the_stored_nfc_text():
    rec = record(unicodedata.normalize("NFD", PAGE))
    for key in MENTION_TYPES:
        for m in getattr(rec, key):
            assert rec.text[m.start:m.end] == m.text, (key, m)


def test_old_and_new_tone_placement_are_one_name():
    old = PAGE.replace("Tỉnh uỷ", "Tỉnh ủy").replace("Thanh Hoá", "Thanh Hóa")
    a, b = record(PAGE), record(old)
    assert [(o.name, o.titles) for o in a.officials] == [(o.name, o.titles) for o in b.officials]
    assert [h.name for h in a.hospitals] == [h.name for h in b.hospitals]
    assert "Chủ tịch UBND tỉnh Thanh Hóa" in a.officials[0].titles  # canonical spelling
    assert a.officials[0].text.endswith("Tỉnh uỷ, Chủ tịch UBND tỉnh Thanh Hoá")  # stored as written
