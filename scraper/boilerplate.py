"""Boilerplate rules as data, shared by the HTML parser and the text-dump parser.

A block whose heading is one of ``BLOCK_HEADINGS`` (any case, spacing, diacritics or a
trailing colon) is dropped whole.  Lines matching ``LINE_PATTERNS`` never reach the
text; ``is_image_filename`` catches alt texts such as ``toan_canh_Le_ky_ket``.
"""

from __future__ import annotations

import re
import unicodedata

BLOCK_HEADINGS: tuple[str, ...] = (
    "Cùng chủ đề",
    "Cùng tác giả",
    "Cùng chuyên mục",
    "Tin cùng chuyên mục",
    "Tin nổi bật",
    "Tin mới nhất",
    "Tin mới",
    "Tin liên quan",
    "Bài liên quan",
    "Tin bài liên quan",
    "Xem thêm",
    "Đọc thêm",
    "Tin khác",
    "Tin đọc nhiều",
    "Đọc nhiều nhất",
    "Xem nhiều",
    "Xem nhiều nhất",
    "Tin xem nhiều",
    "Có thể bạn quan tâm",
    "Bạn có thể quan tâm",
    "Tin tiêu điểm",
    "Tiêu điểm",
    "Bình luận",
    "Ý kiến bạn đọc",
    "Gửi bình luận",
    "Chia sẻ",
    "Tags",
    "Từ khóa",
)

LINE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^powered by\b.*$",
        r"^(bản quyền|copyright|©).*$",
        r"^giấy phép\b.*$",
        r"^(chia sẻ|in bài|gửi bài|share|tweet|print)( bài viết)?:?$",
        r"^(trang chủ|home)( [/>»›|].*)?$",
        r"^(lên đầu trang|về đầu trang|quay lại)$",
        r"^(facebook|twitter|zalo|email)$",
        r"^(ảnh|video|nguồn ảnh)\s*:?\s*$",
    )
)

_IMAGE_NAME = re.compile(
    r"^(?=\S*[_\-.])[A-Za-z0-9_\-.]+(\.(jpe?g|png|gif|webp|bmp))?$", re.IGNORECASE
)
_IMAGE_EXT = re.compile(r"\.(jpe?g|png|gif|webp|bmp)$", re.IGNORECASE)


def heading_key(text: str) -> str:
    """'TIN  NỔI BẬT:' -> 'tin noi bat' (no diacritics, đ→d, lower, single spaces)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"[\s:>»›|\-–—.]+$", "", plain.strip())
    return " ".join(plain.split())


_HEADING_KEYS = frozenset(heading_key(h) for h in BLOCK_HEADINGS)


def is_block_heading(text: str) -> bool:
    """True for a boilerplate block heading such as "Cùng chủ đề" or "TIN MỚI NHẤT:"."""
    if len(text) > 40:
        return False
    return heading_key(text) in _HEADING_KEYS


def is_inline_teaser(text: str) -> bool:
    """"Xem thêm: <title>" / "Đọc thêm >> <title>" lines: a heading with a link after it."""
    m = re.match(r"^\s*([^:>»]{3,25})\s*(:|>>|»)\s*\S", text)
    return bool(m) and heading_key(m.group(1)) in _HEADING_KEYS


def is_image_filename(text: str) -> bool:
    """Alt texts and captions that are just a file name: 'toan_canh_Le_ky_ket', 'IMG_0231.JPG'."""
    t = text.strip()
    if not t or " " in t or len(t) > 120:
        return False
    if _IMAGE_EXT.search(t):
        return True
    return bool(_IMAGE_NAME.match(t)) and ("_" in t or t.count("-") >= 2)


def is_boilerplate_line(text: str) -> bool:
    t = text.strip()
    return any(p.match(t) for p in LINE_PATTERNS) or is_image_filename(t)
