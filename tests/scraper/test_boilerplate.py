"""Boilerplate rules as data: block headings and their variants, inline headings, lines."""

from __future__ import annotations

import pytest

from scraper.boilerplate import (
    BLOCK_HEADINGS, is_block_heading, is_boilerplate_line, is_inline_heading, is_inline_teaser,
)

ISSUE_HEADINGS = ("Cùng chủ đề", "Cùng tác giả", "Cùng chuyên mục", "Tin nổi bật", "Tin mới nhất",
                  "Tin liên quan", "Bài liên quan", "Xem thêm", "Đọc thêm", "Tin khác", "Tin cùng chuyên mục")


def test_every_heading_of_the_issue_is_listed() -> None:
    assert set(ISSUE_HEADINGS) <= set(BLOCK_HEADINGS)


@pytest.mark.parametrize("heading", ISSUE_HEADINGS)
@pytest.mark.parametrize("variant", [str.upper, str.lower, lambda h: h.replace(" ", "  "),
                                     lambda h: f" {h}: ", lambda h: f"{h} >>", lambda h: f"{h} (12)"])
def test_heading_variants(heading: str, variant) -> None:
    assert is_block_heading(variant(heading))


@pytest.mark.parametrize("text", ["Bình luận (3)", "Ý kiến (2)", "Ý kiến bạn đọc", "Tin  đọc nhiều",
                                  "ĐỌC NHIỀU NHẤT", "Có thể bạn quan tâm"])
def test_other_box_headings(text: str) -> None:
    assert is_block_heading(text)


@pytest.mark.parametrize("text", ["Tin liên quan:", "XEM THÊM", "Đọc thêm >>"])
def test_inline_headings(text: str) -> None:
    assert is_inline_heading(text)
    assert not is_inline_heading("Cùng chủ đề") and not is_inline_heading("Tin mới nhất")


@pytest.mark.parametrize(("line", "expected"), [
    ("Xem thêm: Bệnh viện Bạch Mai ký kết hợp tác", True), ("Đọc thêm >> Tin khác", True),
    ("Xem thêm thông tin tại cổng dịch vụ công", False),
])
def test_inline_teaser(line: str, expected: bool) -> None:
    assert is_inline_teaser(line) is expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Powered by Techcity", True), ("Giấy phép số 245/GP-BTTTT", True), ("© 2024 Báo Ví Dụ", True),
    ("Bản quyền thuộc về Đài PT-TH Nghệ An", True), ("Chia sẻ:", True), ("toan_canh_Le_ky_ket", True),
    ("Toàn cảnh Lễ ký kết", False), ("Giấy phép hoạt động khám chữa bệnh được cấp cho 12 phòng khám.", False),
])
def test_boilerplate_lines(line: str, expected: bool) -> None:
    assert is_boilerplate_line(line) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("(BTV) - Chiều 14/1, đoàn công tác làm việc.", "Chiều 14/1, đoàn công tác làm việc."),
    ("(Baonghean.vn) – Sáng 12/10, hội nghị diễn ra.", "Sáng 12/10, hội nghị diễn ra."),
    ("(Ảnh minh họa) Bệnh viện tỉnh.", "(Ảnh minh họa) Bệnh viện tỉnh."),  # no dash: not a prefix
    ("Chiều 14/1 (giờ địa phương) - đoàn đến.", "Chiều 14/1 (giờ địa phương) - đoàn đến."),
])
def test_strip_agency_prefix(text: str, expected: str) -> None:
    from scraper.boilerplate import strip_agency_prefix

    assert strip_agency_prefix(text) == expected
