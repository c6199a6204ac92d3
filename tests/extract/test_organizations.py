import pytest

from extract.organizations import find_organizations

from .conftest import make_doc


def orgs(text, province="Nghệ An"):
    return [(o.name, o.kind) for o in find_organizations(make_doc(text, province=province))]


@pytest.mark.parametrize("text,expected", [
    ("đoàn công tác Bộ Y tế làm việc", [("Bộ Y tế", "ministry")]),
    ("Sở Y tế tỉnh phối hợp", [("Sở Y tế tỉnh Nghệ An", "department")]),
    ("Sở Y tế cho biết", [("Sở Y tế tỉnh Nghệ An", "department")]),  # the province's own
    ("TTYT huyện Nam Đàn tổ chức", [("Trung tâm Y tế huyện Nam Đàn", "health_centre")]),
    ("CDC Nghệ An khuyến cáo", [("Trung tâm Kiểm soát bệnh tật Nghệ An", "cdc")]),
    ("tại Trạm y tế xã Nghi Phong", [("Trạm Y tế xã Nghi Phong", "health_station")]),
    ("Cục Quản lý Khám, chữa bệnh cho biết", [("Cục Quản lý Khám, chữa bệnh", "agency")]),
])
def test_health_bodies_are_typed(text, expected):
    assert orgs(text) == expected


@pytest.mark.parametrize("text", [
    "toàn tỉnh có 460 trạm y tế xã, phường",  # no place: a count, not a body
    "các Trung tâm Y tế tuyến huyện",
    "Bệnh viện Bạch Mai tiếp nhận",  # a hospital, not an organisation
])
def test_unplaced_or_plural_bodies_are_not_organisations(text):
    assert orgs(text) == []


def test_one_entry_per_body_whatever_the_spelling():
    text = "Sở Y tế Nghệ An họp. Sở y tế tỉnh Nghệ An cho biết."
    [o] = find_organizations(make_doc(text))
    assert (o.name, o.text) == ("Sở Y tế Nghệ An", "Sở Y tế Nghệ An")


def test_organisations_stay_out_of_hospitals():
    from extract.hospitals import find_hospitals
    doc = make_doc("Sở Y tế và Trung tâm Y tế huyện Nam Đàn thăm Bệnh viện Bạch Mai.")
    assert [h.name for h in find_hospitals(doc)] == ["Bệnh viện Bạch Mai"]
    assert [o.kind for o in find_organizations(doc)] == ["department", "health_centre"]


def test_an_abbreviation_in_brackets_does_not_cut_the_place_off():
    assert orgs("Theo Trung tâm Kiểm soát bệnh tật (CDC) Nghệ An, toàn tỉnh") == [
        ("Trung tâm Kiểm soát bệnh tật Nghệ An", "cdc")]


def test_agencies_outside_health_are_left_out():
    assert orgs("Cục Thuế tỉnh và Cục Quản lý Dược làm việc") == [("Cục Quản lý Dược", "agency")]


def test_a_bare_department_is_the_one_the_article_names_elsewhere():
    # an article about Đà Nẵng on a Nghệ An station's site
    assert orgs("Sở Y tế Đà Nẵng cho biết. Theo Sở Y tế, năm nay") == [("Sở Y tế Đà Nẵng", "department")]
    assert orgs("Sở Y tế cho biết. Sở Y tế Nghệ An và Sở Y tế Hà Tĩnh họp") == [
        ("Sở Y tế tỉnh Nghệ An", "department"), ("Sở Y tế Hà Tĩnh", "department")]


def test_everyday_words_before_y_te_are_not_organisations():
    assert orgs("các cơ sở y tế và 500 cán bộ y tế toàn bộ y tế cơ sở") == []
