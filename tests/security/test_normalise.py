"""Input is stored normalised (issue 13 point 9): a phone or ID number typed with
full-width digits, spaces, hyphens, a +86 or a zero-width character is the same number,
so one person registered three ways is one petitioner, and the list finds them however
the number is typed."""

from __future__ import annotations

import importlib
import re
import uuid
from datetime import date

import pytest
from django.apps import apps
from django.test import Client

from cases import services
from cases.models import Case, GroupRepresentative, Petitioner
from cases.validators import normalise_id_number, normalise_phone
from tests.conftest import logged_in_client

DAY = date(2026, 11, 10)
VALID_ID = "11010519491231002X"  # the GB 11643 example number
# ASCII "!" to "~" and their full-width forms, U+FF01 to U+FF5E
FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


@pytest.fixture(autouse=True)
def _frozen(today_is):
    today_is(DAY)


@pytest.fixture
def clerk(people) -> Client:
    return logged_in_client(people["clerk"])


@pytest.fixture
def office(people) -> Client:
    return logged_in_client(people["office"])


def form(**overrides) -> dict:
    data = {
        "submission_token": str(uuid.uuid4()),
        "name": "王小明",
        "phone": "13800138000",
        "id_number": "",
        "relation": "student",
        "channel": "letter",
        "source": "self",
        "received_on": DAY.isoformat(),
        "kind": "complaint",
        "summary": "反映宿舍热水供应不正常",
        "content": "三号宿舍楼近一周没有热水。",
    }
    data.update(overrides)
    return data


def _numbers(body: str) -> set[str]:
    return set(re.findall(r'<td><a href="/cases/\d+/">(\d{4}-\d{4,})</a></td>', body))


@pytest.mark.parametrize(
    "typed",
    [
        full_width("13800138000"),
        "+86 138-0013-8000",
        "138 0013 8000",
        "\u200b13800138000",
        "8613800138000",
        "0086 138 0013 8000",
        full_width("+86") + " 138\u20140013\u20148000",  # full-width plus, em dashes
    ],
)
def test_a_mobile_however_typed_is_its_eleven_digits(typed):
    assert normalise_phone(typed) == "13800138000"


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("0731 8888 8888", "0731-88888888"),
        ("(0731)88888888", "0731-88888888"),
        ("0731-88888888-123", "0731-88888888-123"),
        ("+86 731 8888 8888", "0731-88888888"),
        # an 86 without a plus is a country code only before an 11-digit mobile
        ("86888888", "86888888"),
    ],
)
def test_a_landline_keeps_its_area_code_and_extension(typed, stored):
    assert normalise_phone(typed) == stored


def test_an_id_number_is_folded_and_its_check_character_upper_case():
    assert normalise_id_number(full_width("11010119900307123x")) == "11010119900307123X"
    assert normalise_id_number("110105 19491231 002x") == VALID_ID


def test_the_same_person_registered_three_ways_is_one_petitioner(clerk):
    for phone in (full_width("13800138000"), "+86 138-0013-8000", "138 0013 8000"):
        response = clerk.post("/cases/new/", form(phone=phone, summary=f"反映热水问题（{phone}）"))
        assert response.status_code == 302, response.content.decode()
    assert Case.objects.count() == 3
    person = Petitioner.objects.get()
    assert person.phone == "13800138000"
    assert set(Case.objects.values_list("petitioner", flat=True)) == {person.pk}


def test_a_full_width_id_number_passes_the_checksum_and_is_stored_normalised(clerk):
    response = clerk.post("/cases/new/", form(id_number=full_width(VALID_ID[:-1] + "x")))
    assert response.status_code == 302
    assert Petitioner.objects.get().id_number == VALID_ID
    # the same ID typed with spaces is the same person, whatever phone they give now
    clerk.post("/cases/new/", form(id_number="110105 19491231 002X", phone="13900000000", summary="再次反映"))
    assert Petitioner.objects.count() == 1 and Case.objects.count() == 2


def test_a_wrong_check_digit_is_still_refused_after_normalising(clerk):
    response = clerk.post("/cases/new/", form(id_number=full_width("110105194912310021")))
    assert response.status_code == 200
    assert "身份证号校验位不正确" in response.content.decode()
    assert Petitioner.objects.count() == 0


def test_the_service_normalises_too(people, make_case):
    """The demo, the bench and any import register through the service, not the form."""
    first = make_case(petitioner={"name": "王小明", "phone": "+86 138 0013 8000"})
    second = make_case(petitioner={"name": "王小明", "phone": full_width("13800138000")})
    third = make_case(petitioner={"name": "王小明", "id_number": VALID_ID.lower(), "phone": "138-0013-8000"})
    assert first.petitioner_id == second.petitioner_id == third.petitioner_id
    person = Petitioner.objects.get()
    assert (person.phone, person.id_number) == ("13800138000", VALID_ID)


def test_the_list_finds_the_case_by_a_full_width_or_spaced_phone_or_id(clerk, office):
    clerk.post("/cases/new/", form(id_number=VALID_ID))
    case = Case.objects.get()
    for q in (
        full_width("13800138000"),
        "+86 138 0013 8000",
        "138-0013",
        full_width("0013 8000"),
        full_width(VALID_ID.lower()),
    ):
        assert _numbers(office.get("/cases/", {"q": q}).content.decode()) == {case.number}, q
    # part of an ID number finds nothing: it is matched whole
    assert _numbers(office.get("/cases/", {"q": "11010519491231"}).content.decode()) == set()


def test_the_similar_case_panel_matches_a_full_width_phone(clerk):
    clerk.post("/cases/new/", form())
    earlier = Case.objects.get()
    warning = clerk.post("/cases/similar/", {"name": "王小明", "phone": full_width("13800138000"), "summary": ""})
    assert "同一信访人有在办件" in warning.content.decode()
    assert earlier.number in warning.content.decode()


def test_representatives_phones_are_stored_normalised(clerk):
    response = clerk.post(
        "/cases/new/",
        form(is_group="on", group_size="20", representatives=f"张一 {full_width('13800138001')}\n张二 +8613800138002"),
    )
    assert response.status_code == 302
    assert list(GroupRepresentative.objects.values_list("phone", flat=True)) == ["13800138001", "13800138002"]


def test_rows_stored_as_typed_are_normalised_by_the_migration(people):
    """cases 0016 rewrites the old rows; the next registration then finds the person."""
    old = Petitioner.objects.create(name="王小明", phone=full_width("13800138000"), id_number=VALID_ID.lower())
    landline = Petitioner.objects.create(name="李四", phone="0731 8888 8888")
    migration = importlib.import_module("cases.migrations.0016_normalise_petitioner_contacts")
    migration.forwards(apps, None)
    old.refresh_from_db()
    landline.refresh_from_db()
    assert (old.phone, old.id_number) == ("13800138000", VALID_ID)
    assert landline.phone == "0731-88888888"
    case, _ = services.case_register(
        actor=people["clerk"],
        petitioner=services.PetitionerData(name="王小明", phone="13800138000"),
        data=services.CaseData(channel="letter", kind="complaint", received_on=DAY, summary="再次反映"),
    )
    assert case.petitioner == old
