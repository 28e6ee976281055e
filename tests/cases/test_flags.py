"""The flags a case carries are named once, by their fields: the list's filter, the
ledger's 备注 and the 登记表 read the same labels in the same order."""

from __future__ import annotations

import pytest

from cases.forms import CaseFilterForm
from cases.models import flag_choices, flag_labels
from documents.ledger import remarks_text
from documents.services import _flags

pytestmark = pytest.mark.django_db


def test_the_labels_are_the_fields_own():
    assert flag_choices() == [
        ("is_major", "重大/紧急"),
        ("is_group", "集体访"),
        ("is_over_level", "越级访"),
        ("is_leader_case", "领导包案"),
        ("is_repeat", "重复信访"),
    ]
    assert flag_choices() == CaseFilterForm.FLAGS


def test_the_ledger_and_the_registration_form_name_the_same_flags(make_case, people):
    original = make_case("registered")
    case = make_case(
        "registered",
        is_major=True,
        is_group=True,
        group_size=5,
        is_leader_case=True,
        leader_in_charge=people["leader"],
        is_repeat=True,
        repeat_of=original,
    )
    row = {
        "is_major": True,
        "is_group": True,
        "group_size": 5,
        "is_over_level": False,
        "is_leader_case": True,
        "is_repeat": True,
        "source": "self",
        "superior_reference": "",
    }
    assert flag_labels(row) == ["重大/紧急", "集体访5人", "领导包案", "重复信访"]
    assert remarks_text(row).startswith("重大/紧急；集体访5人；领导包案；重复信访")
    assert _flags(case) == [
        "重大/紧急",
        "集体访（5人）",
        f"领导包案（{people['leader']}）",
        f"重复信访（原件 {original.number}）",
    ]
