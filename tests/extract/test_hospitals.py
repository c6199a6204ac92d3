import pytest

from extract.hospitals import find_hospitals

from .conftest import make_doc


def hospitals(text, province="Nghệ An"):
    return [(h.name, h.text) for h in find_hospitals(make_doc(text, province=province))]


@pytest.mark.parametrize("text,expected", [
    ("Hướng dẫn để Bệnh viện HNĐK tỉnh sớm trở thành bệnh viện hạng đặc biệt",
     [("Bệnh viện Hữu nghị Đa khoa Nghệ An", "Bệnh viện HNĐK tỉnh")]),
    ("BV Hữu nghị Việt Đức ký kết", [("Bệnh viện Hữu nghị Việt Đức", "BV Hữu nghị Việt Đức")]),
    ("Bệnh viện Việt Đức hỗ trợ", [("Bệnh viện Hữu nghị Việt Đức", "Bệnh viện Việt Đức")]),
    ("bác sĩ khoa Hồi sức, Bệnh viện Chợ Rẫy cho biết", [("Bệnh viện Chợ Rẫy", "Bệnh viện Chợ Rẫy")]),
    ("Bệnh viện Bạch Mai cơ sở 2 tại Hà Nam", [("Bệnh viện Bạch Mai cơ sở 2", "Bệnh viện Bạch Mai cơ sở 2")]),
    ("BV TW Quân đội 108 và Bệnh viện 108",
     [("Bệnh viện Trung ương Quân đội 108", "BV TW Quân đội 108")]),
    ("chuyển lên Bệnh viện K điều trị", [("Bệnh viện K", "Bệnh viện K")]),
    ("Bệnh viện Nhi T.Ư tiếp nhận", [("Bệnh viện Nhi Trung ương", "Bệnh viện Nhi T.Ư")]),
    ("BVĐK tỉnh này", [("Bệnh viện Đa khoa Nghệ An", "BVĐK tỉnh này")]),
    ("Bệnh viện Sản Nhi Nghệ An", [("Bệnh viện Sản Nhi Nghệ An", "Bệnh viện Sản Nhi Nghệ An")]),
    ("Bệnh viện Y học cổ truyền tỉnh Hà Tĩnh",
     [("Bệnh viện Y học cổ truyền Hà Tĩnh", "Bệnh viện Y học cổ truyền tỉnh Hà Tĩnh")]),
])
def test_hospitals(text, expected):
    assert hospitals(text) == expected


@pytest.mark.parametrize("text", [
    "phát triển hệ thống bệnh viện công lập",
    "Cùng với sự hỗ trợ của Bộ Y tế và các Bệnh viện tuyến TW, những năm qua",
    "Tiếp tục chỉ đạo các Bệnh viện TW, đặc biệt là",
    "thành lập một số Bệnh viện chuyên khoa về tim mạch, nhiệt đới",
    "trở thành bệnh viện hạng đặc biệt",
    "20 bệnh viện công lập, 17 bệnh viện ngoài công lập",
])
def test_not_hospitals(text):
    assert hospitals(text) == []


@pytest.mark.parametrize("spelling", ["Thanh Hoá", "Thanh Hóa"])
def test_tone_mark_variants_give_one_canonical_name(spelling):
    text = f"Bệnh viện Đa khoa tỉnh {spelling} và BVĐK tỉnh"
    assert [h.name for h in find_hospitals(make_doc(text, province="Thanh Hoá"))] == [
        "Bệnh viện Đa khoa Thanh Hóa"]


def test_one_entry_per_hospital_first_mention():
    doc = make_doc("Bệnh viện Bạch Mai hỗ trợ. Sau đó BV Bạch Mai cử chuyên gia.")
    [h] = find_hospitals(doc)
    assert (h.text, h.start) == ("Bệnh viện Bạch Mai", 0)


def test_person_after_a_title_is_not_part_of_the_hospital():
    text = "Giám đốc Bệnh viện Đa khoa tỉnh Hà Tĩnh Nguyễn Văn An phát biểu"
    assert hospitals(text) == [("Bệnh viện Đa khoa Hà Tĩnh", "Bệnh viện Đa khoa tỉnh Hà Tĩnh")]


def test_name_stops_at_a_paragraph_break():
    doc = make_doc("Thanh Hóa ký kết với BVĐK tỉnh\n\nSáng 5/3, tại Bệnh viện Phụ sản - Nhi Đà Nẵng",
                   province="Thanh Hóa")
    assert [(h.name, h.text) for h in find_hospitals(doc)] == [
        ("Bệnh viện Đa khoa Thanh Hóa", "BVĐK tỉnh"),
        ("Bệnh viện Phụ sản - Nhi Đà Nẵng", "Bệnh viện Phụ sản - Nhi Đà Nẵng")]


@pytest.mark.parametrize("text,expected", [
    ("Bệnh viện Đa khoa Trung tâm An Giang tiếp nhận",
     [("Bệnh viện Đa khoa Trung tâm An Giang", "Bệnh viện Đa khoa Trung tâm An Giang")]),
    ("chuyển lên Bệnh viện Đa khoa vùng Tây Nguyên điều trị",
     [("Bệnh viện Đa khoa vùng Tây Nguyên", "Bệnh viện Đa khoa vùng Tây Nguyên")]),
    ("Bệnh viện Xanh Pôn và Bệnh viện Đa khoa Xanh Pôn",
     [("Bệnh viện Đa khoa Xanh Pôn", "Bệnh viện Xanh Pôn")]),  # one hospital, its official name
    ("BVĐKTW Thái Nguyên hỗ trợ", [("Bệnh viện Đa khoa Trung ương Thái Nguyên", "BVĐKTW Thái Nguyên")]),
])
def test_more_canonical_names(text, expected):
    assert hospitals(text) == expected


def test_uy_and_hoa_spellings_are_one_hospital():
    found = hospitals("Bệnh viện Đa khoa tỉnh Thanh Hoá và Bệnh viện Đa khoa tỉnh Thanh Hóa", province="Thanh Hóa")
    assert found == [("Bệnh viện Đa khoa Thanh Hóa", "Bệnh viện Đa khoa tỉnh Thanh Hoá")]


@pytest.mark.parametrize("text,name", [
    ("Bệnh viện 19-8 (Bộ Công an) tiếp nhận", "Bệnh viện 19-8"),
    ("BV Quân y 7A cấp cứu", "Bệnh viện Quân y 7A"),
    ("chuyển Bệnh viện Bỏng Quốc gia điều trị", "Bệnh viện Bỏng Quốc gia Lê Hữu Trác"),
    ("BV Tai Mũi Họng Trung ương hỗ trợ", "Bệnh viện Tai Mũi Họng Trung ương"),
])
def test_lexicon_numbers_and_aliases(text, name):
    assert [n for n, _ in hospitals(text)] == [name]


@pytest.mark.parametrize("text,expected", [
    # a number that counts something after a hospital's name is not the name's numeral
    ("chuyển lên Bệnh viện Bạch Mai 2.310 ca bệnh nặng", [("Bệnh viện Bạch Mai", "Bệnh viện Bạch Mai")]),
    ("trao cho Bệnh viện Đa khoa tỉnh 2 máy thở", [("Bệnh viện Đa khoa Nghệ An", "Bệnh viện Đa khoa tỉnh")]),
    # … but a numeral that names it stays
    ("tại Bệnh viện Quân y 103 sáng nay", [("Bệnh viện Quân y 103", "Bệnh viện Quân y 103")]),
])
def test_hospital_before_a_count(text, expected):
    assert hospitals(text) == expected
