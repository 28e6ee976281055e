"""常用语 (issue 14, point 5): school-wide, per unit and per person; shown under the
fields that take them, one click (or Alt+digit) away; kept by their owner."""

from __future__ import annotations

import pytest

from cases.models import Phrase

pytestmark = pytest.mark.django_db


def test_the_leader_gets_the_instruction_phrases_under_the_field(people, make_case, client_for):
    case = make_case("proposed")
    page = client_for(people["leader"]).get(f"/cases/{case.pk}/do/assign/").content.decode()
    assert 'data-testid="phrases-instruction"' in page
    assert 'data-phrase="同意拟办意见。" data-phrase-for="id_instruction" title="Alt+1"' in page
    # a field that takes none shows none
    assert 'data-testid="phrases-due_date"' not in page


def test_each_person_sees_the_schools_their_units_and_their_own(people, client_for):
    Phrase.objects.create(use="reply", text="教务处专用答复语", unit=people["head_jwc"].unit)
    Phrase.objects.create(use="reply", text="张接待自己的", owner=people["recep_jwc"])
    Phrase.objects.create(use="reply", text="后勤处的", unit=people["head_hqc"].unit)
    page = client_for(people["recep_jwc"]).get("/phrases/").content.decode()
    assert "教务处专用答复语" in page and "张接待自己的" in page and "经调查核实" in page
    assert "后勤处的" not in page
    other = client_for(people["head_jwc"]).get("/phrases/").content.decode()
    assert "张接待自己的" not in other


def test_adding_keeps_what_was_typed_on_an_error_and_only_a_head_keeps_the_units(people, client_for):
    client = client_for(people["recep_jwc"])
    page = client.post("/phrases/", {"use": "", "text": "请补充材料"}).content.decode()
    assert "请从列表中选择常用语的用途。" in page and "请补充材料</textarea>" in page
    assert client.post("/phrases/", {"use": "reason", "text": "请补充材料", "for_unit": "on"}).status_code == 403
    assert client.post("/phrases/", {"use": "reason", "text": "  请补充   材料 "}).status_code == 302
    assert Phrase.objects.get(owner=people["recep_jwc"]).text == "请补充 材料"
    again = client.post("/phrases/", {"use": "reason", "text": "请补充 材料"}).content.decode()
    assert "已有相同的常用语。" in again
    head = client_for(people["head_jwc"])
    assert head.post("/phrases/", {"use": "reason", "text": "本部门通用", "for_unit": "on"}).status_code == 302
    assert Phrase.objects.get(text="本部门通用").unit == people["head_jwc"].unit


def test_deleting_ones_own_and_a_head_the_units_never_the_schools(people, client_for):
    mine = Phrase.objects.create(use="reason", text="我的", owner=people["recep_jwc"])
    units = Phrase.objects.create(use="reason", text="部门的", unit=people["head_jwc"].unit)
    school = Phrase.objects.get(text="同意拟办意见。")
    assert client_for(people["head_jwc"]).post(f"/phrases/{mine.pk}/delete/").status_code == 404
    assert client_for(people["recep_jwc"]).post(f"/phrases/{units.pk}/delete/").status_code == 403
    assert client_for(people["head_jwc"]).post(f"/phrases/{school.pk}/delete/").status_code == 403
    assert client_for(people["recep_jwc"]).post(f"/phrases/{mine.pk}/delete/").status_code == 302
    assert client_for(people["head_jwc"]).post(f"/phrases/{units.pk}/delete/").status_code == 302
    assert set(Phrase.objects.filter(pk__in=[mine.pk, units.pk, school.pk]).values_list("pk", flat=True)) == {school.pk}
