from datetime import datetime

import pytest

from extract.periods import find_periods

from .conftest import make_doc


def periods(text):
    return [(p.text, p.kind, p.start_year, p.end_year) for p in find_periods(make_doc(text))]


@pytest.mark.parametrize("text,expected", [
    ("năng lực y tế giai đoạn 2024 – 2030.", [("giai đoạn 2024 – 2030", "giai đoạn", 2024, 2030)]),
    ("Giai đoạn 2021-2025 đã qua", [("Giai đoạn 2021-2025", "giai đoạn", 2021, 2025)]),
    ("nhiệm kỳ 2021- 2026", [("nhiệm kỳ 2021- 2026", "nhiệm kỳ", 2021, 2026)]),
    ("nhiệm kỳ 2020 —2025", [("nhiệm kỳ 2020 —2025", "nhiệm kỳ", 2020, 2025)]),
    ("thời hạn 2025-30", [("thời hạn 2025-30", "thời hạn", 2025, 2030)]),
    ("Kế hoạch 5 năm 2021-2025", [("Kế hoạch 5 năm 2021-2025", "kế hoạch", 2021, 2025)]),
    ("chiến lược 2021 – 2030", [("chiến lược 2021 – 2030", "chiến lược", 2021, 2030)]),
    ("giai đoạn từ năm 2025 đến năm 2030", [("giai đoạn từ năm 2025 đến năm 2030", "giai đoạn", 2025, 2030)]),
    ("hợp tác từ năm 2025 đến năm 2030", [("từ năm 2025 đến năm 2030", "từ năm", 2025, 2030)]),
    ("phấn đấu đến năm 2030 đạt", [("đến năm 2030", "đến năm", None, 2030)]),
    ("giai đoạn 2021-2025, tầm nhìn đến năm 2045",
     [("giai đoạn 2021-2025", "giai đoạn", 2021, 2025), ("tầm nhìn đến năm 2045", "tầm nhìn", None, 2045)]),
])
def test_periods(text, expected):
    assert periods(text) == expected


@pytest.mark.parametrize("text", [
    "số liệu 2021-2025 cho thấy",  # bare range, no keyword
    "giai đoạn 2030 – 2024",  # backwards
    "Nghị định 15/2023/NĐ-CP",
    "năm 2024",
])
def test_not_periods(text):
    assert periods(text) == []


def anchored(text, published=datetime(2024, 10, 20), **kw):
    doc = make_doc(text, published=published, **kw)
    return [(p.text, p.kind, p.start_year, p.end_year) for p in find_periods(doc)]


@pytest.mark.parametrize("text,expected", [
    ("Từ năm 2020 đến nay, bệnh viện", [("Từ năm 2020 đến nay", "từ năm", 2020, 2024)]),
    ("Theo sự phân công, 5 năm qua, bệnh viện", [("5 năm qua", "relative", 2019, 2024)]),
    ("trong 3 năm gần đây", [("3 năm gần đây", "relative", 2021, 2024)]),
    ("hai năm trở lại đây", [("hai năm trở lại đây", "relative", 2022, 2024)]),
    ("trong 10 năm tới", [("10 năm tới", "relative", 2024, 2034)]),
    ("dịch bệnh mùa đông - xuân 2024 - 2025", [("mùa đông - xuân 2024 - 2025", "mùa đông - xuân", 2024, 2025)]),
    ("vụ đông xuân 2024-2025", [("vụ đông xuân 2024-2025", "vụ đông xuân", 2024, 2025)]),
    ("nhiệm kỳ 2020–2025 và thời kỳ 2021 - 2030",
     [("nhiệm kỳ 2020–2025", "nhiệm kỳ", 2020, 2025), ("thời kỳ 2021 - 2030", "thời kỳ", 2021, 2030)]),
])
def test_open_and_relative_periods(text, expected):
    assert anchored(text) == expected


def test_relative_periods_need_a_publication_date():
    assert anchored("5 năm qua, ngành y tế", published=None, published_month=None) == []


def test_relative_period_is_not_a_figure():
    from extract.figures import find_figures
    assert find_figures(make_doc("5 năm qua, có 20 bác sĩ", published=datetime(2024, 1, 1)))[0].value == 20


@pytest.mark.parametrize("text,expected", [
    ("giai đoạn I (2021-2025) đã kết thúc", [("giai đoạn I (2021-2025)", "giai đoạn", 2021, 2025)]),
    ("giai đoạn 2021 - 2025 và 2026 - 2030",
     [("giai đoạn 2021 - 2025", "giai đoạn", 2021, 2025), ("2026 - 2030", "giai đoạn", 2026, 2030)]),
    ("đến năm 2030, tầm nhìn 2045", [("đến năm 2030", "đến năm", None, 2030), ("tầm nhìn 2045", "tầm nhìn", None, 2045)]),
    ("từ 2021 đến 2025, tỉnh", [("từ 2021 đến 2025", "từ năm", 2021, 2025)]),
])
def test_numbered_continued_and_bare_periods(text, expected):
    assert anchored(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("được triển khai trong 3 năm (2026-2029).", [("trong 3 năm (2026-2029)", "giai đoạn", 2026, 2029)]),
    ("thực hiện trong 4 năm 2025 – 2029 tại", [("trong 4 năm 2025 – 2029", "giai đoạn", 2025, 2029)]),
    ("phấn đấu từ nay đến hết năm 2027 giảm", [("từ nay đến hết năm 2027", "đến năm", 2025, 2027)]),
    ("từ nay đến năm 2030,", [("từ nay đến năm 2030", "đến năm", 2025, 2030)]),
])
def test_duration_with_years_and_from_now(text, expected):
    got = [(p.text, p.kind, p.start_year, p.end_year)
           for p in find_periods(make_doc(text, published=datetime(2025, 5, 2)))]
    assert got == expected


@pytest.mark.parametrize("text", [
    "trong 2 năm 2020-2030 đã",  # the years do not span the duration
    "có 5 năm 2024 là năm",
])
def test_duration_with_unrelated_years(text):
    assert [p for p in find_periods(make_doc(text, published=datetime(2025, 5, 2)))
            if p.kind == "giai đoạn"] == []
