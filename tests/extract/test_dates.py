import unicodedata
from datetime import date, datetime

import pytest

from extract.dates import find_dates, infer_year

from .conftest import make_doc


def dates(text, **kw):
    return [(d.text, d.value, d.granularity) for d in find_dates(make_doc(text, **kw))]


def test_seed_lead_date_takes_year_from_publication_month():
    [d] = find_dates(make_doc("Chiều 12/10, đoàn công tác của Bộ Y tế đã làm việc."))
    assert (d.text, d.value, d.part_of_day, d.granularity) == ("Chiều 12/10", "2024-10-12", "chiều", "day")


@pytest.mark.parametrize("text,expected", [
    ("Sáng 5/11/2023, hội nghị khai mạc.", [("Sáng 5/11/2023", "2023-11-05", "day")]),
    ("Ngày 5-11-2023 hội nghị khai mạc.", [("Ngày 5-11-2023", "2023-11-05", "day")]),
    ("Ngày 5.11.2023 hội nghị khai mạc.", [("Ngày 5.11.2023", "2023-11-05", "day")]),
    ("vào ngày 12 tháng 10 năm 2024 tại Vinh", [("ngày 12 tháng 10 năm 2024", "2024-10-12", "day")]),
    ("hoàn thành trước ngày 20/11.", [("ngày 20/11", "2024-11-20", "day")]),
    ("Trong tháng 9/2024, toàn tỉnh", [("tháng 9/2024", "2024-09", "month")]),
    ("phấn đấu trong quý II/2025 đưa vào", [("quý II/2025", "2025-Q2", "quarter")]),
    ("kết quả năm 2023 cho thấy", [("năm 2023", "2023", "year")]),
])
def test_date_forms(text, expected):
    assert dates(text) == expected


@pytest.mark.parametrize("text", [
    "có 8/10 huyện đạt chuẩn",
    "đạt tỷ lệ 12,9 bác sĩ/vạn dân",
    "tăng 40% so với cùng kỳ",
    "thực hiện Chỉ thị số 12-CT/TW của Ban Bí thư",
    "theo Nghị định 15/2023/NĐ-CP của Chính phủ",
    "giai đoạn 2024 – 2030",
    "từ năm 2025 đến năm 2030",
    "ngày 31/2 không tồn tại",
    "ngày 12/13 không tồn tại",
    "Kế hoạch số 15/KH-UBND",
])
def test_not_dates(text):
    assert dates(text) == []


@pytest.mark.parametrize("text,time,pod", [
    ("Lúc 14h30 ngày 12/10, đoàn đến", "14:30", None),
    ("14 giờ 30 phút chiều 12/10, đoàn đến", "14:30", "chiều"),
    ("Từ 8h sáng 12/10, đoàn đến", "08:00", "sáng"),
    ("Rạng sáng 12/10, đoàn đến", None, "rạng sáng"),
    ("Tối 12/10, đoàn đến", None, "tối"),
])
def test_time_and_part_of_day(text, time, pod):
    [d] = find_dates(make_doc(text))
    assert (d.value, d.time, d.part_of_day) == ("2024-10-12", time, pod)


def test_word_that_only_looks_like_a_part_of_day_is_dropped():
    [d] = find_dates(make_doc("Đoàn sẽ làm việc tới 12/10."))
    assert (d.text, d.part_of_day) == ("12/10", None)


def test_day_range():
    [d] = find_dates(make_doc("Hội nghị diễn ra từ 12-14/10 tại Vinh."))
    assert (d.value, d.end_value) == ("2024-10-12", "2024-10-14")


@pytest.mark.parametrize("day,month,anchor,precision,year", [
    (28, 12, date(2025, 1, 3), "day", 2024),
    (5, 1, date(2024, 12, 28), "day", 2025),
    (12, 10, date(2024, 10, 1), "month", 2024),
    (30, 10, date(2024, 10, 1), "month", 2024),
    (29, 2, date(2025, 3, 1), "day", 2024),
])
def test_infer_year(day, month, anchor, precision, year):
    assert infer_year(day, month, anchor, precision) == year


def test_year_from_publication_day_not_from_today():
    [d] = find_dates(make_doc("Sáng 28/12, hội nghị tổng kết.", published=datetime(2025, 1, 3)))
    assert d.value == "2024-12-28"


def test_no_anchor_gives_a_yearless_value():
    [d] = find_dates(make_doc("Sáng 28/12, hội nghị.", published_month=None))
    assert d.value == "--12-28"


def test_nfd_input_is_matched_and_offsets_point_into_nfc_text():
    doc = make_doc(unicodedata.normalize("NFD", "Chiều 12/10, Tỉnh uỷ họp."))
    [d] = find_dates(doc)
    assert d.text == "Chiều 12/10" and doc.text[d.start:d.end] == d.text
