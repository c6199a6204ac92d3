import unicodedata

import pytest

from extract.officials import find_officials

from .conftest import make_doc


def officials(text, province="Nghệ An"):
    return [(o.name, list(o.titles)) for o in find_officials(make_doc(text, province=province))]


def test_seed_like_paragraphs_merge_titles_per_person():
    text = ("Chiều 12/10, đoàn công tác do Thứ trưởng Lê Đức Luận làm trưởng đoàn đã làm việc. "
            "Tiếp đoàn có đồng chí Nguyễn Đức Trung – Phó bí thư Tỉnh ủy, Chủ tịch UBND tỉnh.\n\n"
            "Thứ trưởng Bộ y tế Lê Đức Luận phát biểu.\n\n"
            "Chủ tịch UBND tỉnh Nguyễn Đức Trung cảm ơn sự quan tâm của Bộ Y tế.")
    doc = make_doc(text)
    found = find_officials(doc)
    assert [(o.name, list(o.titles)) for o in found] == [
        ("Lê Đức Luận", ["Thứ trưởng Bộ Y tế"]),
        ("Nguyễn Đức Trung", ["Phó Bí thư Tỉnh ủy Nghệ An", "Chủ tịch UBND tỉnh Nghệ An"]),
    ]
    # the first mention, titles included, honorific excluded
    assert found[0].text == "Thứ trưởng Lê Đức Luận" and found[0].start == text.index("Thứ trưởng")
    assert found[1].text == "Nguyễn Đức Trung – Phó bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"
    assert all(doc.text[o.start:o.end] == o.text for o in found)


@pytest.mark.parametrize("text,expected", [
    ("Bộ trưởng Bộ Giáo dục và Đào tạo Nguyễn Kim Sơn khẳng định",
     [("Nguyễn Kim Sơn", ["Bộ trưởng Bộ Giáo dục và Đào tạo"])]),
    ("ông Trần Văn Bình, Giám đốc Sở Y tế Hà Tĩnh, cho biết",
     [("Trần Văn Bình", ["Giám đốc Sở Y tế Hà Tĩnh"])]),
    ("bà Nguyễn Thị Thu Hà (Phó Giám đốc Sở Y tế) dự",
     [("Nguyễn Thị Thu Hà", ["Phó Giám đốc Sở Y tế"])]),
    ("ông Nguyễn Văn A, Giám đốc Sở Y tế tỉnh, phát biểu",
     [("Nguyễn Văn A", ["Giám đốc Sở Y tế tỉnh Nghệ An"])]),
    ("đồng chí Lê Minh Hưng — Trưởng Ban Tổ chức Trung ương làm việc",
     [("Lê Minh Hưng", ["Trưởng Ban Tổ chức Trung ương"])]),
    ("đồng chí Thái Thanh Quý - Ủy viên TW Đảng, Phó trưởng ban Thường trực Ban Kinh tế TW đã làm việc",
     [("Thái Thanh Quý", ["Ủy viên Trung ương Đảng",
                          "Phó Trưởng ban Thường trực Ban Kinh tế Trung ương"])]),
    ("Dự có các đồng chí: Hoàng Nghĩa Hiếu – Phó Bí thư Thường trực Tỉnh ủy; "
     "Nguyễn Nam Đình - Ủy viên Ban Thường vụ Tỉnh uỷ, Phó Chủ tịch HĐND tỉnh.",
     [("Hoàng Nghĩa Hiếu", ["Phó Bí thư Thường trực Tỉnh ủy Nghệ An"]),
      ("Nguyễn Nam Đình", ["Ủy viên Ban Thường vụ Tỉnh ủy Nghệ An", "Phó Chủ tịch HĐND tỉnh Nghệ An"])]),
    ("Giám đốc Bệnh viện Bạch Mai GS.TS. Đào Xuân Cơ phát biểu",
     [("Đào Xuân Cơ", ["Giám đốc Bệnh viện Bạch Mai", "GS.TS"])]),
    ("Thiếu tướng, GS.TS Lê Hữu Song, Giám đốc Bệnh viện Trung ương Quân đội 108 cho biết",
     [("Lê Hữu Song", ["Thiếu tướng", "GS.TS", "Giám đốc Bệnh viện Trung ương Quân đội 108"])]),
    ("BSCKII Lê Thị Hoa, Trưởng khoa Hồi sức tích cực Bệnh viện HNĐK tỉnh",
     [("Lê Thị Hoa", ["BSCKII", "Trưởng khoa Hồi sức tích cực Bệnh viện Hữu nghị Đa khoa Nghệ An"])]),
    ("PGS.TS Nguyễn Văn An, BS.CK2 Trần Thị Bé cùng dự",
     [("Nguyễn Văn An", ["PGS.TS"]), ("Trần Thị Bé", ["BS.CK2"])]),
    ("Trung tướng Nguyễn Doãn Anh, nguyên Tư lệnh Quân khu 4",
     [("Nguyễn Doãn Anh", ["Trung tướng", "nguyên Tư lệnh Quân khu 4"])]),
    ("Chủ tịch UBND tỉnh Nguyễn Đức Trung, Giám đốc Sở Y tế Nguyễn Văn Bình dự",
     [("Nguyễn Đức Trung", ["Chủ tịch UBND tỉnh Nghệ An"]), ("Nguyễn Văn Bình", ["Giám đốc Sở Y tế"])]),
])
def test_official_patterns(text, expected):
    assert officials(text) == expected


@pytest.mark.parametrize("text", [
    "Chủ tịch UBND tỉnh cũng đề nghị Bệnh viện Bạch Mai tiếp tục hỗ trợ.",
    "Tại Hà Nội, Chủ tịch UBND tỉnh nêu rõ định hướng.",
    "Nguyễn Văn An đến thăm gia đình.",
    "Đại diện lãnh đạo Sở y tế Nghệ An phát biểu tại buổi làm việc.",
])
def test_not_officials(text):
    assert officials(text) == []


def test_name_does_not_swallow_following_words():
    [o] = find_officials(make_doc("Chủ tịch UBND tỉnh Nguyễn Đức Trung cảm ơn Bộ Y tế."))
    assert o.name == "Nguyễn Đức Trung" and o.text == "Chủ tịch UBND tỉnh Nguyễn Đức Trung"


@pytest.mark.parametrize("spelling", ["Tỉnh uỷ", "Tỉnh ủy", "tỉnh ủy"])
def test_tone_variants_of_tinh_uy(spelling):
    assert officials(f"Bí thư {spelling} Thanh Hoá Nguyễn Doãn Anh dự.", province="Thanh Hóa") == [
        ("Nguyễn Doãn Anh", ["Bí thư Tỉnh ủy Thanh Hóa"])]


def test_nfd_input():
    text = unicodedata.normalize("NFD", "Phó Chủ tịch UBND tỉnh Bùi Đình Long dự.")
    doc = make_doc(text)
    [o] = find_officials(doc)
    assert o.name == "Bùi Đình Long" and doc.text[o.start:o.end] == o.text


def test_honorific_without_title_is_not_an_official_but_is_the_first_mention():
    text = ("Tiếp đoàn có đồng chí Nguyễn Đức Trung. Sau đó, Chủ tịch UBND tỉnh Nguyễn Đức Trung "
            "phát biểu. Dự còn có ông Trần Văn Tâm.")
    [o] = find_officials(make_doc(text))
    assert (o.name, o.titles, o.start) == ("Nguyễn Đức Trung", ("Chủ tịch UBND tỉnh Nghệ An",),
                                           text.index("Nguyễn"))


def test_mention_span_keeps_a_parenthesised_title_balanced():
    [o] = find_officials(make_doc("bà Nguyễn Thị Thu Hà (Phó Giám đốc Sở Y tế) dự"))
    assert o.text == "Nguyễn Thị Thu Hà (Phó Giám đốc Sở Y tế)"
