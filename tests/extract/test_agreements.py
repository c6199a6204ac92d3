from datetime import datetime

import pytest

from extract.agreements import find_agreements

from .conftest import make_doc

SIGNING = (
    "Chiều 14/1, UBND tỉnh Bắc Ninh và BV Hữu nghị Việt Đức tổ chức Lễ ký kết thỏa thuận hợp tác "
    "giai đoạn 2025-2030. Thỏa thuận gồm: chuyển giao kỹ thuật, đào tạo nhân lực; chuyển đổi số "
    "và bệnh án điện tử."
)


def test_signing_sentence_gives_an_agreement():
    doc = make_doc(SIGNING, province="Bắc Ninh", published=datetime(2025, 1, 15))
    [a] = find_agreements(doc)
    assert a.parties == ("UBND tỉnh Bắc Ninh", "Bệnh viện Hữu nghị Việt Đức")
    assert (a.signed, a.start_year, a.end_year) == ("2025-01-14", 2025, 2030)
    assert a.scope == ("chuyển giao kỹ thuật", "đào tạo nhân lực", "chuyển đổi số", "bệnh án điện tử")
    assert doc.text[a.start:a.end] == a.text


def test_signed_date_from_the_nearest_preceding_sentence():
    text = "Sáng 20/10, tại Vinh. UBND tỉnh Nghệ An và Bệnh viện Bạch Mai ký biên bản ghi nhớ."
    [a] = find_agreements(make_doc(text))
    assert a.signed == "2024-10-20" and a.parties == ("UBND tỉnh Nghệ An", "Bệnh viện Bạch Mai")


def test_cooperation_without_signing_is_not_an_agreement():
    text = ("Chiều 12/10, đoàn công tác của Bộ Y tế và Bệnh viện Bạch Mai đã làm việc với UBND tỉnh "
            "để triển khai hợp tác tăng cường năng lực y tế giai đoạn 2024 – 2030.")
    assert find_agreements(make_doc(text)) == []


def test_witness_ministry_is_not_a_party():
    text = ("Thứ trưởng Bộ Y tế Trần Văn Thuấn chứng kiến UBND tỉnh Bắc Ninh ký kết với "
            "Bệnh viện Bạch Mai.")
    [a] = find_agreements(make_doc(text, province="Bắc Ninh"))
    assert a.parties == ("UBND tỉnh Bắc Ninh", "Bệnh viện Bạch Mai")


def test_organisations_without_a_place_are_not_parties():
    text = ("Phát biểu tại lễ ký kết, đồng chí đề nghị thực hiện Kế hoạch số 15/KH-UBND; "
            "Sở Y tế và 20 bệnh viện công lập ký kết cam kết.")
    assert find_agreements(make_doc(text)) == []


def test_mention_is_the_signing_phrase_and_scope_may_come_later():
    text = ("Bắc Giang ký kết hợp tác toàn diện với Bệnh viện Bạch Mai\n\n"
            "Sáng 21/6, UBND tỉnh Bắc Giang và Bệnh viện Bạch Mai tổ chức Lễ ký kết chương trình hợp tác "
            "toàn diện về y tế giai đoạn 2024 – 2028.\n\nDự lễ có các đồng chí: Nguyễn Văn Gấu, Bí thư "
            "Tỉnh ủy; Nguyễn Việt Oanh, Chủ tịch UBND tỉnh.\n\nHiện tỉnh có 17 bệnh viện công lập.\n\n"
            "Nội dung hợp tác gồm: đào tạo nhân lực, chuyển giao kỹ thuật chuyên sâu, khám chữa bệnh từ xa.")
    doc = make_doc(text, province="Bắc Giang", published=datetime(2024, 6, 22))
    [a] = find_agreements(doc)
    assert a.text == "ký kết hợp tác toàn diện" and doc.text[a.start:a.end] == a.text
    assert set(a.parties) == {"UBND tỉnh Bắc Giang", "Bệnh viện Bạch Mai"}
    assert (a.signed, a.start_year, a.end_year) == ("2024-06-21", 2024, 2028)
    assert a.scope == ("đào tạo nhân lực", "chuyển giao kỹ thuật chuyên sâu", "khám chữa bệnh từ xa")


@pytest.mark.parametrize("sentence,scope", [
    ("Chiều 9/10, Trường Đại học Y khoa Phạm Ngọc Thạch và Sở Y tế tỉnh Vĩnh Long ký kết biên bản ghi nhớ "
     "về đào tạo nguồn nhân lực y tế trong thời hạn 2025-2030.", ("đào tạo nguồn nhân lực y tế",)),
    ("Ngày 7/11, Bệnh viện Nhi Đồng 1 và Bệnh viện Sản - Nhi Cà Mau ký kết hợp đồng chuyển giao kỹ thuật "
     "phẫu thuật tim bẩm sinh và hồi sức sơ sinh giai đoạn 2024-2026.",
     ("phẫu thuật tim bẩm sinh", "hồi sức sơ sinh")),
    ("Sáng 5/3, BV Việt Đức ký kết hợp đồng chuyển giao kỹ thuật ghép thận từ người cho sống cho "
     "Bệnh viện Đa khoa tỉnh Thanh Hóa giai đoạn 2025-2027.", ("ghép thận từ người cho sống",)),
])
def test_scope_from_the_signing_sentence(sentence, scope):
    [a] = find_agreements(make_doc(sentence, province="Vĩnh Long", published=datetime(2025, 10, 10)))
    assert a.scope == scope


def test_university_and_department_are_two_parties():
    text = ("Trường Đại học Y khoa Phạm Ngọc Thạch và Sở Y tế tỉnh Vĩnh Long ký kết biên bản ghi nhớ.")
    [a] = find_agreements(make_doc(text, province="Vĩnh Long"))
    assert a.parties == ("Trường Đại học Y khoa Phạm Ngọc Thạch", "Sở Y tế tỉnh Vĩnh Long")


def test_a_hospital_launched_at_the_ceremony_is_no_party():
    text = ("Sáng 19/3, BV Nhi TW và Sở Y tế Yên Bái tổ chức lễ ra mắt Bệnh viện Sản Nhi Yên Bái, đồng "
            "thời ký kết hợp đồng chuyển giao 3 gói kỹ thuật.")
    [a] = find_agreements(make_doc(text, province="Yên Bái"))
    assert a.parties == ("Bệnh viện Nhi Trung ương", "Sở Y tế Yên Bái")


def test_party_names_stop_at_a_paragraph_and_at_the_verb():
    text = ("Ký kết hợp tác giữa Sở Y tế Nghệ An và Trường Đại học Y Hà Nội\n\n"
            "Ngày 8/11/2024, tại Trường Đại học Y Hà Nội đã diễn ra Lễ ký kết Biên bản ghi nhớ giữa "
            "Sở Y tế Nghệ An và Trường Đại học Y Hà Nội giai đoạn 2024-2029.")
    [a] = find_agreements(make_doc(text, published=datetime(2024, 11, 9)))
    assert set(a.parties) == {"Sở Y tế Nghệ An", "Trường Đại học Y Hà Nội"}
    assert (a.signed, a.start_year, a.end_year) == ("2024-11-08", 2024, 2029)


def test_an_emulation_pledge_is_not_an_agreement():
    text = "Sáng 5/1, Sở Y tế tỉnh Nghệ An và Bệnh viện Hữu nghị Đa khoa Nghệ An ký kết giao ước thi đua năm 2025."
    assert find_agreements(make_doc(text)) == []


def test_an_unrelated_list_is_not_the_scope():
    text = ("Sáng 5/3, UBND tỉnh Nghệ An và Bệnh viện Bạch Mai ký kết thỏa thuận hợp tác. "
            "Các đơn vị tham dự gồm: Sở Y tế, Sở Tài chính, Bệnh viện Sản Nhi Nghệ An.")
    [a] = find_agreements(make_doc(text))
    assert a.scope == ()


def _agreements(text, province="Nghệ An"):
    return find_agreements(make_doc(text, province=province, published=datetime(2025, 6, 20)))


LEAD = ("Sáng 18/6, Bệnh viện Nhi Trung ương và Bệnh viện Sản Nhi Nghệ An ký kết thỏa thuận hợp tác "
        "chuyên môn. ")


@pytest.mark.parametrize("later", [
    "Dự lễ ký kết có ông Nguyễn Văn A, Phó Chủ tịch UBND tỉnh Nghệ An.",
    "Chứng kiến lễ ký có lãnh đạo UBND tỉnh Nghệ An và Sở Y tế tỉnh Nghệ An.",
])
def test_attending_the_ceremony_is_no_second_agreement(later):
    [a] = _agreements(LEAD + later)
    assert a.parties == ("Bệnh viện Nhi Trung ương", "Bệnh viện Sản Nhi Nghệ An")


@pytest.mark.parametrize("text", [
    "Trong quý III, UBND tỉnh Nghệ An sẽ ký kết thỏa thuận hợp tác với Bệnh viện Bạch Mai.",
    "Dự kiến tháng 9, Sở Y tế tỉnh Nghệ An và Bệnh viện K sẽ tiến hành ký kết hợp tác.",
    "UBND tỉnh Nghệ An và Bệnh viện Bạch Mai chuẩn bị ký kết thỏa thuận hợp tác.",
])
def test_a_planned_signing_is_no_agreement(text):
    assert _agreements(text) == []


def test_a_parent_body_in_parentheses_is_no_party():
    [a] = _agreements("Ngày 18/6, Bệnh viện Bạch Mai (Bộ Y tế) và Bệnh viện Đa khoa tỉnh Nghệ An ký kết "
                      "hợp đồng chuyển giao kỹ thuật.")
    assert a.parties == ("Bệnh viện Bạch Mai", "Bệnh viện Đa khoa Nghệ An")


@pytest.mark.parametrize("later,years", [
    ("Theo thỏa thuận, trong thời hạn 4 năm (2025 - 2029), hai bên phối hợp.", (2025, 2029)),
    ("Thỏa thuận có hiệu lực từ năm 2025 đến năm 2027.", (2025, 2027)),
    ("Chương trình được thực hiện trong 3 năm 2026-2029.", (2026, 2029)),
    ("Tỉnh đặt mục tiêu giai đoạn 2021-2025 giảm tử vong sơ sinh.", (None, None)),  # not the document's
])
def test_period_from_a_later_sentence_about_the_document(later, years):
    [a] = _agreements(LEAD + later)
    assert (a.start_year, a.end_year) == years


@pytest.mark.parametrize("later,scope", [
    ("Theo thỏa thuận, bệnh viện sẽ chuyển giao 3 kỹ thuật: ghép tủy, lọc máu liên tục và thở máy "
     "cao tần; đào tạo 20 bác sĩ mỗi năm.", ("ghép tủy", "lọc máu liên tục", "thở máy cao tần")),
    ("Theo hợp đồng, bệnh viện hỗ trợ các kỹ thuật nội soi dạ dày, siêu âm tim và điện não đồ cho "
     "Bệnh viện Sản Nhi Nghệ An.", ("nội soi dạ dày", "siêu âm tim", "điện não đồ")),
    ("Hai bên hợp tác trong các lĩnh vực: nhi khoa, sơ sinh; đồng thời nâng cấp phòng mổ.",
     ("nhi khoa", "sơ sinh")),
])
def test_scope_list_ends_where_a_new_clause_starts(later, scope):
    [a] = _agreements(LEAD + later)
    assert a.scope == scope
