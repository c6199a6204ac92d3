"""Pure functions: canonicalize_url, decode_body, is_block_heading, bylines."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from scraper.boilerplate import is_block_heading, is_image_filename
from scraper.bylines import is_byline, split_authors
from scraper.crawl import canonicalize_url
from scraper.encoding import badness, decode_body

VI = "Bệnh viện Hữu nghị Việt Đức chuyển giao kỹ thuật cho tỉnh Bắc Ninh"


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTP://WWW.Example.VN:80/a/", "http://www.example.vn/a"),
    ("https://example.vn:443", "https://example.vn/"),
    ("https://example.vn:8443/x", "https://example.vn:8443/x"),
    ("https://example.vn/a#binh-luan", "https://example.vn/a"),
    ("https://example.vn/a?utm_source=fb&utm_medium=social&id=3", "https://example.vn/a?id=3"),
    ("https://example.vn/a?fbclid=abc&gclid=x&zarsrc=30", "https://example.vn/a"),
    ("https://example.vn/a?b=2&a=1", "https://example.vn/a?a=1&b=2"),
    ("https://example.vn/a/./b/../c", "https://example.vn/a/c"),
    ("https://example.vn/thoi-su/202410/slug-19f3bd7/", "https://example.vn/thoi-su/202410/slug-19f3bd7"),
    ("https://example.vn/tìm-kiếm", "https://example.vn/t%C3%ACm-ki%E1%BA%BFm"),
    ("https://example.vn/a%2fb", "https://example.vn/a%2Fb"),
    ("  https://example.vn/  ", "https://example.vn/"),
])
def test_canonicalize_url(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


def test_canonicalize_url_can_keep_the_directory_slash() -> None:
    assert canonicalize_url("https://X.vn/y-te/?utm_source=a", keep_trailing_slash=True) == "https://x.vn/y-te/"
    assert canonicalize_url("https://x.vn/y-te") == canonicalize_url("https://x.vn/y-te/")


def _html(text: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


def _cp1258(text: str) -> bytes:
    """Encode as windows-1258 does: base letter (with its hat) plus a combining tone mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)
            tone = "".join(c for c in nfd if c in "\u0300\u0301\u0303\u0309\u0323")
            out += unicodedata.normalize("NFC", nfd.replace(tone, "")).encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


PAGE = _html(VI)


@pytest.mark.parametrize(("body", "content_type"), [
    (PAGE.encode("utf-8"), "text/html; charset=utf-8"),
    (PAGE.encode("utf-8"), "text/html; charset=UTF8"),
    (PAGE.encode("utf-8"), None),  # detection: strict UTF-8
    (PAGE.encode("utf-8"), "text/html; charset=iso-8859-1"),  # mis-declared: mojibake check
    (PAGE.encode("utf-8"), "text/html; charset=bogus-charset"),  # unknown label: detection
    (_cp1258(PAGE), "text/html; charset=windows-1258"),
    (_cp1258(PAGE), "text/html; charset=utf-8"),  # mis-declared: decode error → detection
    (_cp1258(PAGE), None),  # detection alone
    (_cp1258(_html(VI, '<meta charset="windows-1258">')), None),
    (_cp1258(_html(VI, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">')), "text/html"),
    (codecs.BOM_UTF8 + PAGE.encode("utf-8"), "text/html; charset=iso-8859-1"),  # the BOM wins
    (codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le"), None),
])
def test_decode_body_gives_nfc_vietnamese(body: bytes, content_type: str | None) -> None:
    text = decode_body(body, content_type)
    assert VI in text
    assert unicodedata.is_normalized("NFC", text)
    assert "\ufeff" not in text


def test_decode_body_normalises_cp1258_combining_marks() -> None:
    text = decode_body(_cp1258("Việt Nam"), "text/html; charset=windows-1258")
    assert text == "Việt Nam" and len(text) == 8


def test_decode_body_empty() -> None:
    assert decode_body(b"") == ""


def test_badness_tells_mojibake_from_vietnamese() -> None:
    assert badness(VI) == 0.0
    assert badness(VI.encode("utf-8").decode("cp1252", errors="replace")) > 0.3


@pytest.mark.parametrize("text", [
    "Cùng chủ đề", "CÙNG CHỦ ĐỀ", "Tin liên quan:", "Tin liên quan", "  Xem thêm  ", "Tin mới nhất",
    "TIN NỔI BẬT", "Cùng chuyên mục", "Cùng tác giả", "Tin cùng chuyên mục", "Bài liên quan", "Đọc thêm >>",
    "Có thể bạn quan tâm", "Chia sẻ:",
])
def test_is_block_heading(text: str) -> None:
    assert is_block_heading(text)


@pytest.mark.parametrize("text", [
    "Cùng chủ đề hợp tác y tế, hai bên đã thống nhất nhiều nội dung quan trọng",
    "Bệnh viện Bạch Mai", "Xem thêm thông tin tại cổng", "", "Tin tức",
])
def test_is_not_block_heading(text: str) -> None:
    assert not is_block_heading(text)


@pytest.mark.parametrize(("line", "authors"), [
    ("Thái Dương – Trường Ca", ["Thái Dương", "Trường Ca"]),
    ("Đức Minh, Thiên Thanh", ["Đức Minh", "Thiên Thanh"]),
    ("(BTV) Lê Phương", ["Lê Phương"]),
    ("Lê Hằng (TTV)", ["Lê Hằng"]),
    ("Bài và ảnh: Minh Khuê", ["Minh Khuê"]),
    ("Hoàng Yến - Minh Trí", ["Hoàng Yến", "Minh Trí"]),
])
def test_split_authors(line: str, authors: list[str]) -> None:
    assert split_authors(line) == authors
    assert is_byline(line)


@pytest.mark.parametrize("line", [
    "Toàn cảnh buổi làm việc.",
    "Chủ tịch UBND tỉnh Nguyễn Đức Trung phát biểu tại buổi làm việc.",
    "Cùng chủ đề",
    "Theo báo cáo, các chỉ tiêu chuyên môn chủ yếu của năm 2024 đều đạt và vượt kế hoạch:",
])
def test_is_not_byline(line: str) -> None:
    assert not is_byline(line)


@pytest.mark.parametrize(("text", "expected"), [
    ("toan_canh_Le_ky_ket", True), ("IMG_0231.JPG", True), ("anh-hoi-nghi-2024.jpg", True),
    ("Toàn cảnh Lễ ký kết", False), ("Covid-19", False),
])
def test_is_image_filename(text: str, expected: bool) -> None:
    assert is_image_filename(text) is expected
