import pytest

from extract.figures import find_figures

from .conftest import make_doc


def figures(text):
    return [(f.text, f.value, f.unit, f.qualifier) for f in find_figures(make_doc(text))]


@pytest.mark.parametrize("text,expected", [
    ("chuyển giao 65 gói kỹ thuật thuộc 20 chuyên ngành",
     [("65 gói kỹ thuật", 65, "gói kỹ thuật", None), ("20 chuyên ngành", 20, "chuyên ngành", None)]),
    ("cho hơn 500 lượt cán bộ y tế; cử 46 lượt chuyên gia khảo sát",
     [("hơn 500 lượt cán bộ y tế", 500, "lượt cán bộ y tế", "hơn"),
      ("46 lượt chuyên gia", 46, "lượt chuyên gia", None)]),
    ("cho gần 1.000 học viên", [("gần 1.000 học viên", 1000, "học viên", "gần")]),
    ("hiện có là 20.386 người, trong đó", [("20.386 người", 20386, "người", None)]),
    ("đạt tỷ lệ 12,9 bác sĩ/vạn dân.", [("12,9 bác sĩ/vạn dân", 12.9, "bác sĩ/vạn dân", None)]),
    ("có 83% địa hình là miền núi", [("83% địa hình", 83, "%", None)]),
    ("tăng 40% so với cùng kỳ", [("40%", 40, "%", None)]),
    ("và 460 trạm y tế xã, phường", [("460 trạm y tế", 460, "trạm y tế", None)]),
    ("có 17 bệnh viện ngoài công lập,", [("17 bệnh viện ngoài công lập", 17, "bệnh viện ngoài công lập", None)]),
    ("kinh phí 1,5 tỷ đồng", [("1,5 tỷ đồng", 1_500_000_000, "đồng", None)]),
    ("khoảng 2 triệu người dân", [("khoảng 2 triệu người dân", 2_000_000, "người dân", "khoảng")]),
    ("trên 1.000.000 lượt khám", [("trên 1.000.000 lượt khám", 1_000_000, "lượt khám", "trên")]),
    ("hàng trăm người dân tham gia", [("hàng trăm người dân", 100, "người dân", "hàng trăm")]),
    ("gần như 100% xã", [("gần như 100% xã", 100, "%", "gần như")]),
    ("dưới 5 ca mắc", [("dưới 5 ca mắc", 5, "ca mắc", "dưới")]),
    ("tổng số 2.150 giường bệnh", [("2.150 giường bệnh", 2150, "giường bệnh", None)]),
])
def test_figures(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text", [
    "Theo sự phân công, 5 năm qua, bệnh viện đã hỗ trợ",
    "năm 2024 và giai đoạn 2024 – 2030",
    "thực hiện Nghị quyết 39 của Bộ Chính trị",
    "bệnh nhân Covid-19.",
    "Chiều 12/10, đoàn làm việc",
    "Liên hệ 0912.345.678 hoặc 0238 3844 555",
    "tổ chức lần thứ 24",
    "tại Kỳ họp thứ 24 (Kỳ họp chuyên đề)",
    "triển khai Đề án 06 của Chính phủ",
    "thực hiện Chỉ thị số 12-CT/TW",
    "Trường THPT Thanh Chương 3 nhân dịp",
    "Chương trình MTQG 1719 đã",
    "có 8/10 huyện",
])
def test_not_figures(text):
    assert figures(text) == []


@pytest.mark.parametrize("text,expected", [
    ("ghi nhận 312 ca sốt xuất huyết, tăng", [("312 ca sốt xuất huyết", 312, "ca sốt xuất huyết", None)]),
    ("tiếp nhận 1.526 đơn vị máu.", [("1.526 đơn vị máu", 1526, "đơn vị máu", None)]),
    ("cử 5 bác sĩ xuống hỗ trợ", [("5 bác sĩ", 5, "bác sĩ", None)]),
])
def test_open_heads_take_a_describing_phrase(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text", [
    "bệnh nhân nam 34 tuổi",
    "sơ kết 5 năm triển khai",
    "khám trong 3 ngày liên tục",
    "Kỷ niệm 42 năm ngày Nhà giáo Việt Nam",
])
def test_durations_are_not_figures(text):
    assert figures(text) == []
