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


# --- ranges, relative days, lunar dates (issue 5 item 2) -------------------------------

def full(text, published=datetime(2024, 10, 20), **kw):
    return [(d.text, d.value, d.end_value, d.granularity, d.part_of_day, d.time, d.calendar)
            for d in find_dates(make_doc(text, published=published, **kw))]


@pytest.mark.parametrize("text,expected", [
    ("diễn ra từ ngày 15/10 đến ngày 25/10 tại", ("từ ngày 15/10 đến ngày 25/10", "2024-10-15", "2024-10-25")),
    ("Từ ngày 12 đến 14/10, đoàn khám", ("Từ ngày 12 đến 14/10", "2024-10-12", "2024-10-14")),
    ("Trong hai ngày 7 và 8/10, bệnh viện", ("ngày 7 và 8/10", "2024-10-07", "2024-10-08")),
    ("hội nghị ngày 14 - 15/10 tại", ("ngày 14 - 15/10", "2024-10-14", "2024-10-15")),
    ("từ tháng 3/2023 đến tháng 3/2025, dự án", ("từ tháng 3/2023 đến tháng 3/2025", "2023-03", "2025-03")),
    ("từ 28/12/2023 đến hết 5/1/2024", ("từ 28/12/2023 đến hết 5/1/2024", "2023-12-28", "2024-01-05")),
])
def test_date_ranges_have_an_end_value(text, expected):
    [d] = full(text)
    assert (d[0], d[1], d[2]) == expected


def test_a_range_that_runs_backwards_stays_two_dates():
    assert [d[1] for d in full("từ ngày 25/10 đến ngày 15/10")] == ["2024-10-25", "2024-10-15"]


def test_range_across_new_year_takes_years_from_publication():
    [d] = full("từ ngày 28/12 đến ngày 5/1", published=datetime(2025, 1, 10))
    assert (d[1], d[2]) == ("2024-12-28", "2025-01-05")


def test_time_on_the_same_day_takes_the_previous_date():
    got = full("Lúc 14h30 ngày 2/10, hội nghị khai mạc. Đến 17 giờ cùng ngày, hội nghị bế mạc.")
    assert [(d[0], d[1], d[5]) for d in got] == [
        ("14h30 ngày 2/10", "2024-10-02", "14:30"), ("17 giờ cùng ngày", "2024-10-02", "17:00")]


def test_next_morning_is_one_day_later_and_a_bare_cung_ngay_is_no_date():
    got = full("Chiều 3/10, đoàn đến Vinh. Cùng ngày, đoàn làm việc. Sáng hôm sau, đoàn về.")
    assert [(d[0], d[1], d[4]) for d in got] == [
        ("Chiều 3/10", "2024-10-03", "chiều"), ("Sáng hôm sau", "2024-10-04", "sáng")]


@pytest.mark.parametrize("text,published,expected", [
    ("dịp Tết Nguyên đán Ất Tỵ 2025", datetime(2025, 1, 10), ("Tết Nguyên đán Ất Tỵ 2025", "2025-01-29", None)),
    ("trong dịp Tết Giáp Thìn", datetime(2024, 3, 1), ("Tết Giáp Thìn", "2024-02-10", None)),
    ("trực trong đêm giao thừa", datetime(2024, 2, 12), ("đêm giao thừa", "2024-02-09", "đêm")),
    ("Sáng mùng 3 Tết, lãnh đạo tỉnh", datetime(2025, 2, 3), ("Sáng mùng 3 Tết", "2025-01-31", "sáng")),
    ("dịp Rằm tháng Bảy năm Giáp Thìn", datetime(2024, 8, 1), ("Rằm tháng Bảy năm Giáp Thìn", "2024-08-18", None)),
    ("vào mùng 10 tháng 3 âm lịch", datetime(2024, 4, 1), ("mùng 10 tháng 3 âm lịch", "2024-04-18", None)),
    ("lễ hội ngày 15/7 âm lịch", datetime(2024, 8, 1), ("ngày 15/7 âm lịch", "2024-08-18", None)),
    ("trước Rằm tháng Giêng", datetime(2025, 2, 4), ("Rằm tháng Giêng", "2025-02-12", None)),
    ("đến 23 tháng Chạp", datetime(2025, 1, 5), None),  # "23 tháng Chạp" needs mùng/ngày
    ("ngày 23 tháng Chạp", datetime(2025, 1, 5), ("ngày 23 tháng Chạp", "2025-01-22", None)),
])
def test_lunar_dates_are_converted_to_solar(text, published, expected):
    got = [(d[0], d[1], d[4]) for d in full(text, published=published) if d[6] == "lunar"]
    assert got == ([expected] if expected else [])


def test_lunar_year_is_the_one_nearest_publication_not_today():
    [late] = full("Rằm tháng Giêng", published=datetime(2024, 12, 20))
    [early] = full("Rằm tháng Giêng", published=datetime(2024, 3, 1))
    assert late[1] == "2025-02-12" and early[1] == "2024-02-24"


def test_can_chi_year_wins_over_nearness():
    [d] = full("Tết Quý Mão", published=datetime(2024, 12, 1))
    assert d[1] == "2023-01-22"


def test_lunar_range_keeps_calendar_and_both_ends():
    [d] = full("Lễ hội diễn ra từ mùng 10 tháng Giêng đến Rằm tháng Giêng.",
               published=datetime(2025, 1, 20))
    assert (d[1], d[2], d[6]) == ("2025-02-07", "2025-02-12", "lunar")


def test_slash_after_mung_is_a_solar_date():
    [d] = full("Nhân dịp mùng 2/9, bệnh viện", published=datetime(2024, 8, 30))
    assert (d[1], d[6]) == ("2024-09-02", "solar")


def test_lunar_date_without_anchor_or_year_is_left_out():
    assert full("vào Rằm tháng Bảy", published=None, published_month=None) == []


def test_written_out_day_range():
    [d] = full("Trong 2 ngày 14 - 15 tháng 11 năm 2024, hội nghị diễn ra")
    assert (d[0], d[1], d[2]) == ("ngày 14 - 15 tháng 11 năm 2024", "2024-11-14", "2024-11-15")


def test_a_time_span_keeps_its_start_time():
    [d] = full("Từ 7h30 đến 11h ngày 12/10, bệnh viện khám miễn phí")
    assert (d[0], d[1], d[5]) == ("Từ 7h30 đến 11h ngày 12/10", "2024-10-12", "07:30")


@pytest.mark.parametrize("text,expected", [
    # a weekday, "nay"/"qua" or a parenthesis between the part of day and the date
    ("Chiều Thứ Sáu, 6/6/2025, đoàn", ("Chiều Thứ Sáu, 6/6/2025", "2025-06-06", "chiều", None)),
    ("Tối thứ Bảy (7/6), tại", ("Tối thứ Bảy (7/6)", "2025-06-07", "tối", None)),
    ("Sáng Chủ nhật, 8/6, hơn", ("Sáng Chủ nhật, 8/6", "2025-06-08", "sáng", None)),
    ("Trưa nay (10/6), Sở Y tế", ("Trưa nay (10/6)", "2025-06-10", "trưa", None)),
    ("tối qua (9/6), xe cứu thương", ("tối qua (9/6)", "2025-06-09", "tối", None)),
    ("Hôm qua (9/6), Bộ Y tế", ("Hôm qua (9/6)", "2025-06-09", None, None)),
    ("Khoảng 21 giờ 15 phút tối Thứ Năm, 5/6, người dân",
     ("21 giờ 15 phút tối Thứ Năm, 5/6", "2025-06-05", "tối", "21:15")),
    # day-month with a hyphen or a dot after a part of day, no year
    ("Chiều 4-6, tại trạm y tế", ("Chiều 4-6", "2025-06-04", "chiều", None)),
    ("Sáng thứ Hai, 2.6, đoàn", ("Sáng thứ Hai, 2.6", "2025-06-02", "sáng", None)),
    # a bare "chiều qua" / "sáng nay" is a day counted from the publication date
    ("Chiều qua, bệnh viện tiếp nhận", ("Chiều qua", "2025-06-09", "chiều", None)),
    ("Sáng nay, đoàn kiểm tra", ("Sáng nay", "2025-06-10", "sáng", None)),
])
def test_part_of_day_across_a_gap(text, expected):
    [d] = find_dates(make_doc(text, published=datetime(2025, 6, 10)))
    assert (d.text, d.value, d.part_of_day, d.time) == expected


@pytest.mark.parametrize("text", [
    "Tối 5-7 người được đưa đi cấp cứu",   # a range of a count, not a date
    "Sáng nay, đoàn kiểm tra",             # no publication day: no anchor for "nay"
    "Có 3-4 ca mỗi ngày",
])
def test_no_date_across_a_gap(text):
    assert dates(text) == []
