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
    ("có 83% địa hình là miền núi", [("83%", 83, "%", None)]),  # no counted noun after it
    ("100% trạm y tế có bác sĩ", [("100% trạm y tế", 100, "%", None)]),  # a counted noun
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


def full(text):
    return [(f.text, f.value, f.unit, f.qualifier, f.total) for f in find_figures(make_doc(text))]


@pytest.mark.parametrize("text,expected", [
    ("có 8/10 huyện đạt chuẩn", [("8/10 huyện", 8, "huyện", None, 10)]),
    ("161/161 xã, phường, thị trấn đạt", [("161/161 xã, phường, thị trấn", 161, "xã, phường, thị trấn", None, 161)]),
    ("cử 25 bác sĩ, điều dưỡng hỗ trợ", [("25 bác sĩ, điều dưỡng", 25, "bác sĩ, điều dưỡng", None, None)]),
    ("có 16 bác sĩ, kỹ sư vật lý và kỹ thuật viên",
     [("16 bác sĩ, kỹ sư vật lý và kỹ thuật viên", 16, "bác sĩ, kỹ sư vật lý và kỹ thuật viên", None, None)]),
    ("khoảng 1.200 bệnh nhân suy thận mạn phải chạy thận",
     [("khoảng 1.200 bệnh nhân suy thận mạn", 1200, "bệnh nhân suy thận mạn", "khoảng", None)]),
    ("tăng gấp 3 lần", [("gấp 3 lần", 3, "lần", "gấp", None)]),
    ("tỷ suất tử vong 4,1‰.", [("4,1‰", 4.1, "‰", None, None)]),
    ("khoảng 200 ca/100.000 dân", [("khoảng 200 ca/100.000 dân", 200, "ca/100.000 dân", "khoảng", None)]),
    ("Trong dịp Tết, 356 trẻ sơ sinh chào đời", [("356 trẻ sơ sinh", 356, "trẻ sơ sinh", None, None)]),
    ("đạt 27% kế hoạch năm", [("27%", 27, "%", None, None)]),
    ("chi 1,5 triệu USD mua 12 máy thở",
     [("1,5 triệu USD", 1_500_000, "USD", None, None), ("12 máy thở", 12, "máy thở", None, None)]),
])
def test_ratios_lists_and_describing_words(text, expected):
    assert full(text) == expected


@pytest.mark.parametrize("text", [
    "gọi ngay 115 khi có dấu hiệu đột quỵ",
    "đường dây nóng 0238 3844 115 tiếp nhận phản ánh",
    "Kiện toàn mạng lưới cấp cứu 115 sau hợp nhất",
    "trong đợt dịch lần thứ 4",
    "Theo Đề án 06, toàn tỉnh",
])
def test_hotlines_and_names_are_not_figures(text):
    assert full(text) == []


def test_emergency_count_is_still_a_figure():
    assert full("đã cấp cứu 2.140 ca")[0][:3] == ("2.140 ca", 2140, "ca")


@pytest.mark.parametrize("text,expected", [
    ("khoảng 30-40 ca/ngày", ("khoảng 30-40 ca/ngày", 30, 40, "ca/ngày", "khoảng")),
    ("từ 1.000 đến 1.500 người", ("từ 1.000 đến 1.500 người", 1000, 1500, "người", None)),
    ("cần 2 - 3 triệu đồng", ("2 - 3 triệu đồng", 2_000_000, 3_000_000, "đồng", None)),
])
def test_ranges_keep_both_ends(text, expected):
    [f] = find_figures(make_doc(text))
    assert (f.text, f.value, f.end_value, f.unit, f.qualifier) == expected


@pytest.mark.parametrize("text", ["giai đoạn 2021-2025", "từ 1 đến 3 tháng", "ngày 12-14/10"])
def test_year_time_and_date_ranges_are_not_figures(text):
    assert find_figures(make_doc(text)) == []


@pytest.mark.parametrize("text,expected", [
    ("khoảng 5,6 ca trên 100.000 dân mỗi năm", [("khoảng 5,6 ca trên 100.000 dân", 5.6, "ca trên 100.000 dân", "khoảng")]),
    ("hỗ trợ 20 bệnh nhân trên 60 tuổi", [("20 bệnh nhân", 20, "bệnh nhân", None)]),
])
def test_a_rate_written_with_tren_is_one_figure(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("kết nối tới 9 trung tâm y tế huyện", [("9 trung tâm y tế huyện", 9, "trung tâm y tế huyện", None)]),
    ("có tới 500 người dân", [("tới 500 người dân", 500, "người dân", "tới")]),
    ("số ca lên tới 1.200 ca", [("lên tới 1.200 ca", 1200, "ca", "lên tới")]),
    ("theo dõi 312 người tiếp xúc gần, gần 50 trẻ",
     [("312 người tiếp xúc gần", 312, "người tiếp xúc gần", None), ("gần 50 trẻ", 50, "trẻ", "gần")]),
])
def test_qualifiers_and_prepositions(text, expected):
    assert figures(text) == expected


def test_a_describing_phrase_is_not_cut_inside_a_word():
    [f] = find_figures(make_doc("tiếp nhận 4 kỹ thuật phẫu thuật nội soi tiêu hóa cho bệnh viện"))
    assert f.unit == "kỹ thuật phẫu thuật nội soi tiêu hóa"


@pytest.mark.parametrize("text,expected", [
    ("Bệnh viện Nhân dân 115 bàn giao kỹ thuật", []),
    ("BV Quân y 103 cử 20 bác sĩ", [("20 bác sĩ", 20, "bác sĩ", None)]),
    ("gần 1.000 người dân huyện Quỳ Hợp", [("gần 1.000 người dân", 1000, "người dân", "gần")]),
    ("100 suất quà trị giá 500.000 đồng",
     [("100 suất quà", 100, "suất quà", None), ("500.000 đồng", 500_000, "đồng", None)]),
])
def test_hospital_numbers_places_and_two_word_verbs(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("tài trợ 500 triệu VNĐ cho tỉnh", [("500 triệu VNĐ", 500_000_000, "VNĐ", None)]),
    ("khoảng 3 nghìn tỷ đồng", [("khoảng 3 nghìn tỷ đồng", 3_000_000_000_000, "đồng", "khoảng")]),
])
def test_money_units_and_stacked_magnitudes(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text,expected", [
    # a counted noun phrase without a lexicon head takes up to five describing words
    ("phát hiện 7 vụ ngộ độc rượu công nghiệp trong", [("7 vụ ngộ độc rượu công nghiệp", "vụ ngộ độc rượu công nghiệp")]),
    ("thực hiện 9 chuyến bay cứu thương đêm.", [("9 chuyến bay cứu thương đêm", "chuyến bay cứu thương đêm")]),
    # … and stops at a verb
    ("có 40 y tá nghỉ việc trong năm", [("40 y tá", "y tá")]),
    ("khiến 18 học sinh nhập viện", [("18 học sinh", "học sinh")]),
    ("lấy 6 mẫu thực phẩm gửi đi xét nghiệm", [("6 mẫu thực phẩm", "mẫu thực phẩm")]),
    # a hyphen joins one word
    ("bố trí 3 ê-kíp phẫu thuật tim", [("3 ê-kíp phẫu thuật tim", "ê-kíp phẫu thuật tim")]),
    # a closing acronym or loanword belongs to the noun …
    ("tiêm 5.000 liều vắc xin VAT cho", [("5.000 liều vắc xin VAT", "liều vắc xin VAT")]),
    ("mua 2 hệ thống chụp CT.", [("2 hệ thống chụp CT", "hệ thống chụp CT")]),
    ("trang bị 1 máy tán sỏi Laser.", [("1 máy tán sỏi Laser", "máy tán sỏi Laser")]),
    # … but not an organisation or a place name that follows
    ("có 12 điều dưỡng BV Bạch Mai tham gia", [("12 điều dưỡng", "điều dưỡng")]),
    ("hỗ trợ 30 hộ nghèo Quỳ Châu", [("30 hộ nghèo", "hộ nghèo")]),
    # parallel nouns after a comma or "và"
    ("cấp 50 bộ dụng cụ, thuốc men.", [("50 bộ dụng cụ, thuốc men", "bộ dụng cụ, thuốc men")]),
    ("đón 300 lượt thầy, trò.", [("300 lượt thầy, trò", "lượt thầy, trò")]),
    ("theo dõi 25 ca bệnh hô hấp và tiêu hóa", [("25 ca bệnh hô hấp và tiêu hóa", "ca bệnh hô hấp và tiêu hóa")]),
    ("các đội có 12 phường, đặc khu", [("12 phường, đặc khu", "phường, đặc khu")]),
    # not a parallel noun: a new clause, a verb with its own number, a lone word before a verb
    ("khám cho 800 người, phát 200 suất quà", [("800 người", "người"), ("200 suất quà", "suất quà")]),
    ("khám cho 800 người, tặng quà.", [("800 người", "người")]),
    ("có 90 người mắc, không có ca tử vong", [("90 người mắc", "người mắc")]),
    ("đạt 10,1 bác sĩ/vạn dân, thấp hơn", [("10,1 bác sĩ/vạn dân", "bác sĩ/vạn dân")]),
    ("có 40 bệnh nhân Covid-19 nặng", [("40 bệnh nhân", "bệnh nhân")]),
])
def test_counted_noun_phrase(text, expected):
    assert [(t, u) for t, _, u, _ in figures(text)] == expected
