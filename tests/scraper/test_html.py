"""parse_html / parse_page on the demo site, small fixtures and the two real pages."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from scraper.errors import InputError
from scraper.html import parse_datetime, parse_html, parse_page
from scraper.types import Page

from .conftest import DEMO_SITE, FIXTURES

VN = timezone(timedelta(hours=7))
LOOPBACK = "http://127.0.0.1:8000"
TRAILER_HEADINGS = ("Cùng chủ đề", "Cùng chuyên mục", "Tin nổi bật", "Tin mới nhất", "Tin liên quan",
                    "Xem thêm", "Bài liên quan", "Chia sẻ", "Ý kiến bạn đọc", "Powered by", "Giấy phép")


def _site_md() -> dict[str, dict[str, str]]:
    """SITE.md's `## key: title` sections and their `- field: value` bullets."""
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in (DEMO_SITE / "SITE.md").read_text("utf-8").splitlines():
        if m := re.match(r"^## (a\d+):", line):
            current = sections.setdefault(m.group(1), {})
        elif current is not None and (m := re.match(r"^- ([a-z ]+): (.*)$", line)):
            current[m.group(1)] = m.group(2)
        elif m := re.match(r"^- trailer only: (.*)$", line):
            sections.setdefault("_", {})["trailer only"] = m.group(1)
    return sections


SITE = _site_md()
KEYS = sorted(k for k in SITE if k != "_")


def _demo(key: str):
    facts = SITE[key]
    html = (DEMO_SITE / facts["path"].strip("/") / "index.html").read_text("utf-8")
    return parse_html(html, LOOPBACK + facts["path"]), facts


def _names(field: str) -> list[str]:
    return [item.split(" – ")[0] for item in field.split("; ") if item]


def test_site_md_lists_the_articles() -> None:
    assert len(KEYS) >= 7


@pytest.mark.parametrize("key", KEYS)
def test_demo_article_fields(key: str) -> None:
    article, facts = _demo(key)
    assert article.title == facts["title"]
    assert article.site == facts["site"] and article.province == facts["province"]
    assert article.published == datetime.fromisoformat(facts["published"])
    assert list(article.authors) == facts["authors"].split("; ")
    assert list(article.captions) == facts["captions"].split("; ")
    assert article.canonical_url == facts["canonical"]
    assert article.lead or key == "a7"
    assert article.tags and article.category


@pytest.mark.parametrize("key", KEYS)
def test_demo_article_text_is_clean(key: str) -> None:
    article, facts = _demo(key)
    for name in _names(facts["officials"]):
        assert name in article.text
    others = {n for k in KEYS if k != key for n in _names(SITE[k]["officials"])}
    others |= set(SITE["_"]["trailer only"].split("; "))
    leaked = sorted(n for n in others - set(_names(facts["officials"])) if n in article.text)
    assert leaked == [], f"trailer names leaked into {key}"
    for heading in TRAILER_HEADINGS:
        assert heading not in article.text
    for para in article.paragraphs:  # captions stay out of paragraphs, file names out of everything
        assert para not in article.captions
        assert not re.search(r"\w+_\w+|\.(jpe?g|png)\b", para, re.IGNORECASE)
    assert article.authors[0] not in article.paragraphs[-1]


def test_title_with_a_dash_is_kept_whole_but_site_suffix_goes() -> None:
    article, _ = _demo("a6")
    assert " – " in article.title and article.title.endswith("với Quảng Trị")
    html = (DEMO_SITE / SITE["a1"]["path"].strip("/") / "index.html").read_text("utf-8")
    no_h1 = html.replace('<h1 class="article-title">', '<div class="x">', 1)
    assert parse_html(no_h1, LOOPBACK + SITE["a1"]["path"]).title == SITE["a1"]["title"]  # from og:title


def test_province_follows_the_2025_merger() -> None:
    html = (DEMO_SITE / SITE["a6"]["path"].strip("/") / "index.html").read_text("utf-8")
    before = parse_html(html, LOOPBACK + SITE["a6"]["path"], published=datetime(2025, 6, 1, tzinfo=VN))
    assert before.province == "Quảng Bình"


@pytest.mark.parametrize("key", ["a1", "a2", "a6"])
def test_generic_path_on_techcity_pages(key: str) -> None:
    """Without the profile, block headings and density alone keep the trailers out."""
    facts = SITE[key]
    html = (DEMO_SITE / facts["path"].strip("/") / "index.html").read_text("utf-8")
    generic = parse_html(html, LOOPBACK + facts["path"], profile=None)
    profiled, _ = _demo(key)
    assert generic.paragraphs == profiled.paragraphs
    assert generic.captions == profiled.captions


def _page(path: Path, url: str) -> Page:
    return Page(url=url, final_url=url, status=200, headers={"Content-Type": "text/html; charset=utf-8"},
                body=path.read_bytes(), fetched_at=datetime.now(timezone.utc))


@pytest.mark.parametrize("path", ["index.html", "y-te/index.html", "thoi-su/index.html"])
def test_listing_pages_are_not_articles(path: str) -> None:
    assert parse_page(_page(DEMO_SITE / path, f"{LOOPBACK}/{path.removesuffix('index.html')}")) is None


def test_parse_page_returns_demo_article() -> None:
    facts = SITE["a3"]
    article = parse_page(_page(DEMO_SITE / facts["path"].strip("/") / "index.html", LOOPBACK + facts["path"]))
    assert article is not None and article.title == facts["title"]


def test_block_heading_inside_the_body_and_density_container() -> None:
    html = (FIXTURES / "related_inside.html").read_text("utf-8")
    article = parse_html(html, "https://baovidu.vn/y-te/2024/09/08/kham-sang-loc/")
    assert article.title == "Khám sàng lọc miễn phí cho 1.200 người cao tuổi"  # " | Báo Ví Dụ" dropped
    assert [p[:20] for p in article.paragraphs] == ["Trong hai ngày 7 và ", "Các bác sĩ đã phát h",
                                                    "Chương trình sẽ tiếp"]
    for leak in ("Lâm Văn Sơn", "Trương Quốc Khánh", "Nguyễn Văn Chính", "Bệnh viện Mắt", "Giấy phép"):
        assert leak not in article.text
    assert article.authors == ("Ngọc Lan", "Hải Đăng")
    assert article.published == datetime(2024, 9, 8, tzinfo=VN)  # from the URL


def test_month_only_url_gives_published_month() -> None:
    html = "<html><body><h1>Tiêu đề</h1><p>" + "Nội dung bài viết dài. " * 20 + "</p></body></html>"
    article = parse_html(html, "https://www.truyenhinhnghean.vn/thoi-su/202410/slug-19f3bd7/")
    assert article.published is None and article.published_month == "2024-10"
    assert article.province == "Nghệ An"


def test_no_text_is_an_input_error() -> None:
    with pytest.raises(InputError):
        parse_html("<html><body><nav><a href='/'>Trang chủ</a></nav></body></html>")


@pytest.mark.parametrize(("text", "expected"), [
    ("Thứ bảy, 12/10/2024 - 18:30", datetime(2024, 10, 12, 18, 30, tzinfo=VN)),
    ("Cập nhật: 18:30 14-01-2025", datetime(2025, 1, 14, 18, 30, tzinfo=VN)),
    ("Thứ tư, 22/10/2025, 19:25 (GMT+7)", datetime(2025, 10, 22, 19, 25, tzinfo=VN)),
    ("2025-10-22T19:25:52+07:00", datetime(2025, 10, 22, 19, 25, 52, tzinfo=VN)),
    ("2024-11-20T02:30:00Z", datetime(2024, 11, 20, 2, 30, tzinfo=timezone.utc)),
    ("12/10/2024", datetime(2024, 10, 12, tzinfo=VN)),
    ("hôm qua", None),
])
def test_parse_datetime(text: str, expected: datetime | None) -> None:
    assert parse_datetime(text) == expected


# ---- real pages (read from ../shared, never copied into the repository) ----------------


def _real(real_pages: Path, name: str, url: str):
    html = gzip.decompress((real_pages / f"{name}.html.gz").read_bytes()).decode("utf-8")
    return parse_html(html, url)


def test_vnexpress_cho_ray(real_pages: Path) -> None:
    expected = json.loads((real_pages / "vnexpress_2025-10-22_cho-ray.expected.json").read_text("utf-8"))["V1"]
    article = _real(real_pages, "vnexpress_2025-10-22_cho-ray",
                    "https://vnexpress.net/dau-bung-keo-dai-phat-hien-ung-thu-lymphoma-ruot-non-4954454.html")
    assert article.title == expected["title"]
    assert article.lead == expected["body"]["summary"][0]
    for para in expected["body"]["sections"][0]["paragraphs"]:
        assert para in article.paragraphs or para in article.captions
    assert article.captions == ("Y bác sĩ nội soi cho bệnh nhân. Ảnh: Bệnh viện cung cấp",)
    assert list(article.authors) == expected["authors"] == ["Lê Phương"]
    assert article.published is not None and article.published.date() == date(2025, 10, 22)
    assert "Lê Phương" not in article.text


def test_vnexpress_kinh_doanh(real_pages: Path) -> None:
    article = _real(real_pages, "vnexpress_2023-11-02_kinh-doanh", "https://vnexpress.net/x-4672302.html")
    assert article.published is not None and article.published.date() == date(2023, 11, 2)
    assert article.title.startswith("Ông Hồ Đức Phớc: Sẽ nâng mức giảm trừ gia cảnh")
    assert "Khảo sát của VnExpress hồi đầu năm" in article.text  # inline elements keep their spaces
    assert "try{" not in article.text and len(article.paragraphs) >= 8
