"""The generic path on small unknown layouts: sapo, date line, picture boxes, titles."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from scraper.html import parse_html, parse_page
from scraper.profiles import builtin_profiles
from scraper.types import Page

VN = timezone(timedelta(hours=7))
P1 = "Đoạn thứ nhất của thân bài kể lại sự việc với đủ chi tiết để là một đoạn văn, có hai câu. Câu hai."
P2 = "Đoạn thứ hai tiếp tục câu chuyện, nêu số liệu và ý kiến của người trong cuộc, cũng đủ dài. Hết."
LEAD = "Sapo của bài: một câu tóm tắt sự việc, đủ dài để không bị coi là nhãn hay dòng ngày tháng."


def _page(lead_html: str = "", head: str = "", info: str = "", body_extra: str = "") -> str:
    return (f"<html><head><title>Tiêu đề – có gạch ngang - Báo Ví Dụ</title>{head}"
            '<meta property="og:site_name" content="Báo Ví Dụ"></head><body>'
            f'<div class="x1"><h1>Tiêu đề – có gạch ngang</h1><div class="x2">{info}</div>{lead_html}'
            f'<div class="x3"><p>{P1}</p>{body_extra}<p>{P2}</p></div></div></body></html>')


@pytest.mark.parametrize("lead_html", [
    f"<h2 class='q'>{LEAD}</h2>",
    f"<p class='zz'><strong>{LEAD}</strong></p>",
    f"<div class='tomtat'>{LEAD}</div>",
])
def test_sapo_on_unknown_layouts(lead_html: str) -> None:
    article = parse_html(_page(lead_html), "https://baovidu.vn/a.html")
    assert article.lead == LEAD and article.paragraphs == (P1, P2)


def test_sapo_from_the_meta_description() -> None:
    html = _page(f"<p>{LEAD}</p>", head=f'<meta name="description" content="{LEAD[:60]}...">')
    assert parse_html(html, "https://baovidu.vn/a.html").lead == LEAD


def test_a_lone_paragraph_between_headline_and_body_is_the_sapo() -> None:
    assert parse_html(_page(f"<p>{LEAD}</p>"), "https://baovidu.vn/a.html").lead == LEAD


def test_an_ordinary_first_paragraph_stays_in_the_body() -> None:
    html = _page().replace("<div class=\"x3\">", f"<div class=\"x3\"><p>{LEAD}</p>")
    article = parse_html(html, "https://baovidu.vn/a.html")
    assert article.lead == "" and article.paragraphs == (LEAD, P1, P2)


def test_title_keeps_its_dash_and_drops_the_site_suffix() -> None:
    assert parse_html(_page(), "https://baovidu.vn/a.html").title == "Tiêu đề – có gạch ngang"


@pytest.mark.parametrize(("info", "expected"), [
    ("Cập nhật: 18:30 14-01-2025", datetime(2025, 1, 14, 18, 30, tzinfo=VN)),
    ("<span>Thứ bảy, 12/10/2024 - 18:30</span> <span>1.234 lượt xem</span>", datetime(2024, 10, 12, 18, 30, tzinfo=VN)),
])
def test_date_line_near_the_headline(info: str, expected: datetime) -> None:
    assert parse_html(_page(info=info), "https://baovidu.vn/a.html").published == expected


def test_picture_box_caption_and_file_name_alt() -> None:
    box = '<div class="pic"><img src="a.jpg" alt="toan_canh_Le_ky_ket"><span>Toàn cảnh lễ ký kết.</span></div>'
    article = parse_html(_page(body_extra=box), "https://baovidu.vn/a.html")
    assert article.captions == ("Toàn cảnh lễ ký kết.",) and "toan_canh" not in article.text


def test_teaser_box_inside_the_body_with_an_unknown_class() -> None:
    box = ('<div class="k9"><div class="k9h">Đọc  thêm</div><ul><li><a href="/1">Giám đốc Trịnh Văn Khôi '
           'kiểm tra</a></li><li><a href="/2">Bệnh viện Phổi nhận máy thở</a></li></ul></div>')
    article = parse_html(_page(body_extra=box), "https://baovidu.vn/a.html")
    assert article.paragraphs == (P1, P2) and "Khôi" not in article.text


def test_tags_from_json_ld_keywords() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "keywords": "y tế, Nghệ An"}</script>'
    assert parse_html(_page(head=ld), "https://baovidu.vn/a.html").tags == ("y tế", "Nghệ An")


def test_a_domain_profile_that_does_not_fit_falls_back_to_the_generic_path() -> None:
    """laocaitv.vn has a Techcity profile; a page of another layout there still parses."""
    assert any("laocaitv.vn" in p.domains for p in builtin_profiles())
    html = _page(f"<h2>{LEAD}</h2>", head='<meta property="og:type" content="article">')
    url = "https://laocaitv.vn/2024/09/18/bai-viet/"
    article = parse_html(html, url)
    assert article.lead == LEAD and article.paragraphs == (P1, P2)
    page = Page(url=url, final_url=url, status=200, headers={"Content-Type": "text/html"},
                body=html.encode(), fetched_at=datetime.now(timezone.utc))
    assert parse_page(page) is not None


@pytest.mark.parametrize(("line", "expected"), [
    ("Thứ Bảy, ngày 12 tháng 10 năm 2024 14:30", datetime(2024, 10, 12, 14, 30, tzinfo=VN)),
    ("Chủ nhật, 15/09/2024, 10:30 (GMT+7)", datetime(2024, 9, 15, 10, 30, tzinfo=VN)),
    ("Ngày đăng: 12/08/2024 | Lượt xem: 356", datetime(2024, 8, 12, tzinfo=VN)),
])
def test_date_lines_are_read_and_never_text(line: str, expected: datetime) -> None:
    from scraper.datetext import is_date_line, parse_datetime

    assert parse_datetime(line) == expected and is_date_line(line)
    assert not is_date_line("Sáng 12/10/2024, đoàn công tác đến thăm bệnh viện tỉnh.")
    article = parse_html(_page(body_extra=f"<p>{line}</p>"), "https://baovidu.vn/a.html")
    assert line not in article.text and article.published == expected


def test_agency_prefix_leaves_the_sapo_and_the_first_paragraph() -> None:
    article = parse_html(_page(f"<h2>(BTV) - {LEAD}</h2>"), "https://baovidu.vn/a.html")
    assert article.lead == LEAD
    article = parse_html(_page().replace(f"<p>{P1}</p>", f"<p>(TTXVN) – {P1}</p>"), "https://baovidu.vn/a.html")
    assert article.paragraphs[0] == P1


def test_a_share_bar_after_the_headline_is_not_the_sapo() -> None:
    bar = '<div class="x7"><a href="#">Chia sẻ bài viết lên Facebook</a> <a href="#">Gửi bài viết qua Zalo</a></div>'
    article = parse_html(_page(bar + f"<h2>{LEAD}</h2>"), "https://baovidu.vn/a.html")
    assert article.lead == LEAD and "Facebook" not in article.text


@pytest.mark.parametrize("footer", ["Powered by Techcity", "POWERED BY TECHCITY", "Powered by TechCity"])
def test_techcity_marker_in_any_case_selects_the_profile(footer: str) -> None:
    from scraper.profiles import has_marker, profile_for

    html = f"<html><body><p>{'city ' * 50}</p><footer>{footer}</footer></body></html>"
    assert has_marker(html, "powered by techcity")
    assert profile_for("https://unknown-station.vn/a/", html).name == "techcity"
    assert not has_marker("<p>city of Vinh, powered by sun</p>", "powered by techcity")
