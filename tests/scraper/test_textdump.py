"""Text dumps follow the HTML parser's boilerplate rules (scraper.textdump)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.textdump import parse_text_dump

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_093c9e5cf33c81bc.txt"
LONG = "Đoạn văn bản của bài viết có đủ nhiều chữ để là một đoạn thân bài, không phải chú thích ảnh. Câu thứ hai."


def _dump(*lines: str) -> str:
    return "\n\n".join(lines)


def test_in_body_teaser_box_is_dropped_and_the_body_goes_on() -> None:
    article = parse_text_dump(_dump(
        "Tiêu đề bài viết", "Sapo của bài viết, đủ dài để không bị coi là chú thích. Câu hai nữa.",
        LONG, "Tin liên quan:", "Giám đốc Sở Y tế Trịnh Văn Khôi kiểm tra phòng dịch",
        "Bệnh viện Phổi tỉnh tiếp nhận 2 máy thở", "Sau đó " + LONG, "Thái Dương – Trường Ca"))
    assert "Trịnh Văn Khôi" not in article.text and "máy thở" not in article.text
    assert article.paragraphs[-1].startswith("Sau đó") and article.authors == ("Thái Dương", "Trường Ca")


def test_trailer_heading_ends_the_article_even_without_a_byline() -> None:
    article = parse_text_dump(_dump("Tiêu đề", LONG, "Cùng chủ đề", "Tin khác về Hoàng Nghĩa Hiếu",
                                    "Chiều 19/11, đồng chí Hoàng Nghĩa Hiếu tặng bằng khen cho các tập thể..."))
    assert "Hoàng Nghĩa Hiếu" not in article.text


def test_inline_heading_after_the_byline_is_a_trailer() -> None:
    article = parse_text_dump(_dump("Tiêu đề", LONG, "Lê Phương", "Xem thêm",
                                    "Một tin khác rất dài được tóm tắt ở đây cho người đọc, có dấu chấm ở cuối câu."))
    assert article.authors == ("Lê Phương",) and "tin khác" not in article.text


def test_place_line_is_not_taken_for_a_byline() -> None:
    article = parse_text_dump(_dump("Tiêu đề", LONG, "Nghệ An"))
    assert article.authors == ()


def test_seed_dump() -> None:
    if not SEED.is_file():
        pytest.skip("seed dump absent")
    article = parse_text_dump(SEED.read_text("utf-8"))
    assert article.title == "Hợp tác tăng cường năng lực y tế Nghệ An giai đoạn 2024 – 2030"
    assert article.authors == ("Thái Dương", "Trường Ca") and len(article.paragraphs) == 5
    for leak in ("Powered by", "Cùng chủ đề", "Hoàng Nghĩa Hiếu", "Nguồn:", "Tin mới nhất"):
        assert leak not in article.text


def test_a_date_line_dates_the_dump_and_leaves_the_text() -> None:
    article = parse_text_dump(_dump("Tiêu đề", "Cập nhật: 18:30 14-01-2025", LONG, "Lê Phương"))
    assert article.published is not None and article.published.isoformat() == "2025-01-14T18:30:00+07:00"
    assert "Cập nhật" not in article.text and article.lead == LONG
