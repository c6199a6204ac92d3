from datetime import datetime

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
