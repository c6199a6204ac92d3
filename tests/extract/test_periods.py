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
