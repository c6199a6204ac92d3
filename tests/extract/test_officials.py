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
     [("Nguyễn Thị Thu Hà", ["Phó Giám đốc Sở Y tế tỉnh Nghệ An"])]),  # a Sở is the province's
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
     [("Nguyễn Đức Trung", ["Chủ tịch UBND tỉnh Nghệ An"]), ("Nguyễn Văn Bình", ["Giám đốc Sở Y tế tỉnh Nghệ An"])]),
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


# --- issue 5 item 3: departments, boards, cities, appointments, unknown surnames ---------

@pytest.mark.parametrize("text,province,expected", [
    ("TS.BS Phan Minh Hoàng, Trưởng khoa Hồi sức, Bệnh viện Chợ Rẫy cho biết", "Trà Vinh",
     [("Phan Minh Hoàng", ["TS.BS", "Trưởng khoa Hồi sức Bệnh viện Chợ Rẫy"])]),
    ("ThS.BS Trần Thanh Vỹ, Trưởng khoa Tim mạch can thiệp, Bệnh viện Chợ Rẫy", "Lâm Đồng",
     [("Trần Thanh Vỹ", ["ThS.BS", "Trưởng khoa Tim mạch can thiệp Bệnh viện Chợ Rẫy"])]),
    ("ông Lại Văn Hoàn, Phó Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo vận động hiến máu tình nguyện tỉnh dự",
     "Thái Bình", [("Lại Văn Hoàn", ["Phó Chủ tịch UBND tỉnh Thái Bình",
                                     "Trưởng Ban Chỉ đạo vận động hiến máu tình nguyện tỉnh Thái Bình"])]),
    ("ông Trần Chí Cường, Phó Chủ tịch UBND thành phố phát biểu", "Đà Nẵng",
     [("Trần Chí Cường", ["Phó Chủ tịch UBND thành phố Đà Nẵng"])]),
    ("Đại tá Hoàng Văn Cường, Chỉ huy trưởng Bộ đội Biên phòng tỉnh", "Lạng Sơn",
     [("Hoàng Văn Cường", ["Đại tá", "Chỉ huy trưởng Bộ đội Biên phòng tỉnh Lạng Sơn"])]),
    ("bà Trần Thị Nga, Cục trưởng Cục Bà mẹ và Trẻ em, cho biết", "Thanh Hóa",
     [("Trần Thị Nga", ["Cục trưởng Cục Bà mẹ và Trẻ em"])]),
    ("Ủy viên BCH T.Ư Đảng, Bí thư Tỉnh ủy Lại Thế Nguyên", "Thanh Hóa",
     [("Lại Thế Nguyên", ["Ủy viên Ban Chấp hành Trung ương Đảng", "Bí thư Tỉnh ủy Thanh Hóa"])]),
])
def test_titles_with_departments_boards_and_cities(text, province, expected):
    assert officials(text, province=province) == expected


def test_department_stops_before_a_verb():
    assert officials("ông Nguyễn Văn An, Trưởng khoa Nội cho biết thêm") == [
        ("Nguyễn Văn An", ["Trưởng khoa Nội"])]


def test_appointment_adds_the_new_post():
    text = ("bổ nhiệm ông Trần Văn Hưng, Phó Giám đốc phụ trách Sở Y tế giữ chức vụ Giám đốc "
            "Sở Y tế tỉnh Nam Định.")
    assert officials(text, province="Nam Định") == [
        ("Trần Văn Hưng", ["Phó Giám đốc phụ trách Sở Y tế tỉnh Nam Định", "Giám đốc Sở Y tế tỉnh Nam Định"])]


def test_bare_hospital_after_a_title_is_the_one_just_named():
    text = ("Đoàn công tác Bệnh viện K làm việc tại Hà Tĩnh. PGS.TS. Lê Văn Quảng, Giám đốc "
            "Bệnh viện cho biết.")
    assert officials(text, province="Hà Tĩnh") == [("Lê Văn Quảng", ["PGS.TS", "Giám đốc Bệnh viện K"])]


def test_plural_profession_before_a_hospital_name_is_no_person():
    assert officials("các bác sĩ Bạch Mai sẽ khảo sát") == []


def test_honorific_and_title_vouch_for_a_name_outside_the_surname_list():
    text = "Tiếp đoàn có bà Tráng Thị Hương, Phó Giám đốc Sở Y tế tỉnh Sơn La."
    assert officials(text, province="Sơn La") == [("Tráng Thị Hương", ["Phó Giám đốc Sở Y tế tỉnh Sơn La"])]


def test_unknown_name_without_a_title_is_nobody():
    assert officials("bà Tráng Thị Hương đến thăm") == []


@pytest.mark.parametrize("text,title", [
    ("BS.CK2 Cao Thị Hồng, Trưởng Trung tâm Kiểm tra sức khỏe Chợ Rẫy Việt Nhật (HECI), Bệnh viện "
     "Chợ Rẫy, cho biết", "Trưởng Trung tâm Kiểm tra sức khỏe Chợ Rẫy Việt Nhật Bệnh viện Chợ Rẫy"),
    ("ông Lê Văn Tú, Trưởng khoa Hồi sức tích cực chống độc cho biết", "Trưởng khoa Hồi sức tích cực chống độc"),
    ("ông Nguyễn Văn Bình, Giám đốc Trung tâm Đột quỵ của bệnh viện", "Giám đốc Trung tâm Đột quỵ"),
    ("ông Nguyễn Văn Bình, Trưởng khoa Nội tiếp nhận bệnh nhân", "Trưởng khoa Nội"),
    ("Trung tướng, PGS.TS Đỗ Quyết, Giám đốc Học viện Quân y khẳng định", "Giám đốc Học viện Quân y"),
])
def test_department_names_keep_their_lower_case_words_but_not_the_verb(text, title):
    [(_, titles)] = officials(text)
    assert titles[-1] == title


@pytest.mark.parametrize("text,expected", [
    ("ông Phạm Văn Hùng được bổ nhiệm giữ chức Giám đốc Bệnh viện Đa khoa tỉnh",
     [("Phạm Văn Hùng", ["Giám đốc Bệnh viện Đa khoa Nghệ An"])]),
    ("bà Lê Thị Thu, Phó Giám đốc Sở Y tế được bầu làm Chủ tịch Hội Điều dưỡng tỉnh",
     [("Lê Thị Thu", ["Phó Giám đốc Sở Y tế tỉnh Nghệ An", "Chủ tịch Hội Điều dưỡng tỉnh Nghệ An"])]),
    ("ông Trần Văn An, Chủ tịch Hội Chữ thập đỏ huyện Nam Đàn",
     [("Trần Văn An", ["Chủ tịch Hội Chữ thập đỏ huyện Nam Đàn"])]),
])
def test_appointments_elections_and_associations(text, expected):
    assert officials(text) == expected


def test_a_former_post_later_in_the_same_clause_is_merged():
    text = ("Giám đốc Sở Y tế Trần Văn Hưng phát biểu. Ông Trần Văn Hưng sinh năm 1975, có trình độ "
            "bác sĩ chuyên khoa II, từng giữ chức Giám đốc Bệnh viện Đa khoa tỉnh Nam Định.")
    assert officials(text, province="Nam Định") == [
        ("Trần Văn Hưng", ["Giám đốc Sở Y tế tỉnh Nam Định", "Giám đốc Bệnh viện Đa khoa Nam Định"])]


def test_a_post_after_another_name_belongs_to_that_name():
    text = "Ông Trần Văn Hưng cho biết, bà Lê Thị Hoa được bổ nhiệm giữ chức Giám đốc Sở Y tế."
    assert officials(text) == [("Lê Thị Hoa", ["Giám đốc Sở Y tế tỉnh Nghệ An"])]


def test_the_issue_enumeration_example():
    text = ("Dự hội nghị có các đồng chí: Lại Thế Nguyên, Ủy viên BCH T.Ư Đảng, Bí thư Tỉnh uỷ, "
            "Trưởng Đoàn ĐBQH tỉnh; Đầu Thanh Tùng, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh.")
    assert officials(text, province="Thanh Hóa") == [
        ("Lại Thế Nguyên", ["Ủy viên Ban Chấp hành Trung ương Đảng", "Bí thư Tỉnh ủy Thanh Hóa",
                            "Trưởng Đoàn đại biểu Quốc hội tỉnh Thanh Hóa"]),
        ("Đầu Thanh Tùng", ["Phó Bí thư Tỉnh ủy Thanh Hóa", "Chủ tịch UBND tỉnh Thanh Hóa"]),
    ]


def test_a_default_place_yields_to_the_place_the_article_gives():
    text = ("Bà Trần Thị Thu Vân – Phó Giám đốc Sở Y tế Đà Nẵng cho biết. "
            "Phó Giám đốc Sở Y tế Trần Thị Thu Vân nói thêm.")
    assert officials(text) == [("Trần Thị Thu Vân", ["Phó Giám đốc Sở Y tế Đà Nẵng"])]


@pytest.mark.parametrize("text,title", [
    ("ông Trần Văn An, Trưởng phòng Y tế huyện Nam Đàn cho biết", "Trưởng Phòng Y tế huyện Nam Đàn"),
    ("bà Lê Thị Hoa, Trạm trưởng Trạm Y tế xã Nghi Phong", "Trạm trưởng Trạm Y tế xã Nghi Phong"),
    ("ông Hồ Văn Bình, Bí thư Đảng ủy Bệnh viện Bạch Mai", "Bí thư Đảng ủy Bệnh viện Bạch Mai"),
    ("ông Lê Văn Cường, Điều dưỡng trưởng Bệnh viện K", "Điều dưỡng trưởng Bệnh viện K"),
])
def test_local_health_posts(text, title):
    [(_, titles)] = officials(text)
    assert titles == [title]


def test_institute_name_with_lower_case_words_and_va():
    text = "ông Nguyễn Văn Minh, Viện trưởng Viện Sức khỏe Nghề nghiệp và Môi trường cho biết"
    [(_, titles)] = officials(text)
    assert titles == ["Viện trưởng Viện Sức khỏe Nghề nghiệp và Môi trường"]
