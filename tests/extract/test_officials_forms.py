"""Less common ways news text names an official: "thành phố" and a dash before the name,
"anh"/"chị"/"đại biểu", degrees without dots, five-syllable names, titles with a number
or a comma.  Sentences are made up for these tests."""

from __future__ import annotations

import pytest

from extract.evaluate import org_key, title_keys
from extract.officials import find_officials

from .conftest import make_doc


def officials(text: str, province: str = "Nghệ An") -> list[tuple[str, list[str]]]:
    return [(o.name, list(o.titles)) for o in find_officials(make_doc(text, province=province))]


@pytest.mark.parametrize("text,province,expected", [
    # "UBND thành phố" right before a full name: the city of the article, or a bare level
    ("Phó Chủ tịch UBND thành phố Lê Quang Nam dự lễ.", "Đà Nẵng",
     [("Lê Quang Nam", ["Phó Chủ tịch UBND thành phố Đà Nẵng"])]),
    ("Chủ tịch UBND huyện Trần Ngọc Tú dự lễ.", "Nghệ An",
     [("Trần Ngọc Tú", ["Chủ tịch UBND huyện"])]),
    # a capitalised place after the level word stays the place, also a name-like one
    ("Chủ tịch UBND thành phố Vinh Trần Ngọc Tú dự lễ.", "Nghệ An",
     [("Trần Ngọc Tú", ["Chủ tịch UBND thành phố Vinh"])]),
    ("Chủ tịch UBND thành phố Hà Tiên Nguyễn Văn Tâm dự lễ.", "Kiên Giang",
     [("Nguyễn Văn Tâm", ["Chủ tịch UBND thành phố Hà Tiên"])]),
    # TITLE – ông/bà NAME
    ("Chủ tịch UBND tỉnh Quảng Trị – ông Võ Văn Hưng phát biểu.", "Đà Nẵng",
     [("Võ Văn Hưng", ["Chủ tịch UBND tỉnh Quảng Trị"])]),
    ("Giám đốc Sở Y tế - bà Trần Thị Lan cho biết.", "Nghệ An",
     [("Trần Thị Lan", ["Giám đốc Sở Y tế tỉnh Nghệ An"])]),
    # anh / chị / đại biểu before a name that a title follows
    ("Cùng dự có anh Phan Văn Mãi, Bí thư Thành đoàn.", "Đà Nẵng",
     [("Phan Văn Mãi", ["Bí thư Thành đoàn Đà Nẵng"])]),
    ("Chị Lê Thị Hồng, Phó Bí thư Tỉnh đoàn cho biết.", "Nghệ An",
     [("Lê Thị Hồng", ["Phó Bí thư Tỉnh đoàn Nghệ An"])]),
    ("Trả lời đại biểu Lò Văn Xuân, Phó Trưởng Ban Dân tộc HĐND tỉnh, ông Giám đốc nói.", "Sơn La",
     [("Lò Văn Xuân", ["Phó Trưởng Ban Dân tộc HĐND tỉnh Sơn La"])]),
    ("Đại biểu Quốc hội Nguyễn Văn Cảnh phát biểu.", "Nghệ An",
     [("Nguyễn Văn Cảnh", ["Đại biểu Quốc hội"])]),
    # degrees without dots stay degrees; an honour glued to them is a title
    ("TTND.BSCKII Trần Văn Lâm, Giám đốc Bệnh viện Đa khoa tỉnh cho biết.", "Nghệ An",
     [("Trần Văn Lâm", ["Thầy thuốc Nhân dân", "BSCKII", "Giám đốc Bệnh viện Đa khoa Nghệ An"])]),
    ("ThS BS Lê Văn Hòa, Trưởng khoa Nhi cho biết.", "Nghệ An",
     [("Lê Văn Hòa", ["ThS.BS", "Trưởng khoa Nhi"])]),
    ("TTƯT, BSCKI Đinh Thị Mai, Phó Giám đốc Sở Y tế dự.", "Nghệ An",
     [("Đinh Thị Mai", ["Thầy thuốc Ưu tú", "BSCKI", "Phó Giám đốc Sở Y tế tỉnh Nghệ An"])]),
    # five syllables, and compound surnames
    ("BSCKI Hoàng Thị Mai Phương Thảo, Giám đốc Trung tâm Y tế huyện Nam Đàn cho biết.", "Nghệ An",
     [("Hoàng Thị Mai Phương Thảo", ["BSCKI", "Giám đốc Trung tâm Y tế huyện Nam Đàn"])]),
    ("bà Tôn Nữ Thị Hạnh, Phó Giám đốc Sở Y tế cho biết.", "Quảng Trị",
     [("Tôn Nữ Thị Hạnh", ["Phó Giám đốc Sở Y tế tỉnh Quảng Trị"])]),
    ("bà Công Tằng Tôn Nữ Thị Hạnh, Phó Giám đốc Sở Y tế cho biết.", "Quảng Trị",
     [("Công Tằng Tôn Nữ Thị Hạnh", ["Phó Giám đốc Sở Y tế tỉnh Quảng Trị"])]),
    # titles with a number or a comma
    ("Phó Đô đốc Lê Văn Kiên, Tư lệnh Vùng 3 Hải quân, dự.", "Khánh Hòa",
     [("Lê Văn Kiên", ["Phó Đô đốc", "Tư lệnh Vùng 3 Hải quân"])]),
    ("Đại tá Phạm Văn Tuấn, Giám đốc Bệnh viện Quân y 175 cho biết.", "TP. Hồ Chí Minh",
     [("Phạm Văn Tuấn", ["Đại tá", "Giám đốc Bệnh viện Quân y 175"])]),
    ("bà Trần Thị Vân, Trưởng phòng Kế hoạch, Sở Y tế Hà Tĩnh cho biết.", "Nghệ An",
     [("Trần Thị Vân", ["Trưởng phòng Kế hoạch Sở Y tế Hà Tĩnh"])]),
])
def test_less_common_forms(text: str, province: str, expected: list) -> None:
    assert officials(text, province) == expected


@pytest.mark.parametrize("text,province,expected", [
    # "anh"/"chị" as pronouns or nouns, and without a title: nobody
    ("Anh Lê Văn Tý cho biết gia đình còn nhiều khó khăn.", "Nghệ An", []),
    ("Các anh em trong đội trực cấp cứu thay nhau nghỉ.", "Nghệ An", []),
    ("chị Hà Nội, Giám đốc Sở Y tế dự.", "Nghệ An", []),
    # a capitalised place after a title is no name
    ("Chủ tịch UBND thành phố Hà Tiên cho biết.", "Kiên Giang", []),
    ("Ban tổ chức cho biết vùng sâu vùng xa còn khó khăn.", "Nghệ An", []),
    # a name and a place together are no five-syllable name
    ("ông Lê Văn Tám Hà Tĩnh, Giám đốc Trung tâm Y tế huyện dự.", "Nghệ An", []),
    # a comma before an organisation that a name follows: that organisation is the next title's
    ("bà Trần Thị Vân, Trưởng khoa Nhi, Giám đốc Sở Y tế Nguyễn Văn An dự.", "Nghệ An",
     [("Trần Thị Vân", ["Trưởng khoa Nhi"]), ("Nguyễn Văn An", ["Giám đốc Sở Y tế tỉnh Nghệ An"])]),
    # a dash with no honorific after it is not "TITLE – ông NAME"
    ("Giám đốc Sở Y tế – Phó Trưởng ban Chỉ đạo tỉnh cho biết.", "Nghệ An", []),
])
def test_less_common_forms_negatives(text: str, province: str, expected: list) -> None:
    assert officials(text, province) == expected


def test_mention_of_title_dash_honorific_name_spans_both() -> None:
    text = "Phát biểu, Phó Chủ tịch UBND tỉnh – ông Võ Văn Hưng nhấn mạnh."
    [o] = find_officials(make_doc(text, province="Quảng Trị"))
    assert o.text == "Phó Chủ tịch UBND tỉnh – ông Võ Văn Hưng"


@pytest.mark.parametrize("a,b", [
    ("Giám đốc BHXH tỉnh Hà Tĩnh", "Giám đốc Bảo hiểm xã hội tỉnh Hà Tĩnh"),
    ("Giám đốc CDC Nghệ An", "Giám đốc Trung tâm Kiểm soát bệnh tật Nghệ An"),
])
def test_eval_key_expands_the_extractors_org_aliases(a: str, b: str) -> None:
    assert org_key(a, "Nghệ An") == org_key(b, "Nghệ An")


def test_eval_drops_undotted_degrees_but_keeps_honours() -> None:
    assert title_keys(["BSCKII", "ThS.BS", "Thầy thuốc Ưu tú"], None) == {"thầy thuốc ưu tú"}
