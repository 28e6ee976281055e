"""The clerk's registration form: bad input is reported in Chinese, in place, with what
was typed kept and nothing saved; a second click makes no second case."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cases.models import Attachment, Case, Petitioner, State
from cases.validators import id_number_checksum

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VALID_ID = "11010519491231002X"  # the GB 11643 example number


@pytest.fixture
def clerk(people) -> Client:
    c = Client()
    c.force_login(people["clerk"])
    return c


def form(**overrides) -> dict:
    data = {
        "submission_token": str(uuid.uuid4()),
        "name": "王小明",
        "phone": "13812345678",
        "id_number": "",
        "relation": "student",
        "organisation": "2024级软件技术3班",
        "address": "",
        "channel": "letter",
        "source": "self",
        "received_on": timezone.localdate().isoformat(),
        "kind": "complaint",
        "summary": "反映宿舍热水供应不正常",
        "content": "三号宿舍楼近一周没有热水。",
    }
    data.update(overrides)
    return data


def test_registration_creates_a_numbered_case_with_its_history(clerk, people):
    response = clerk.post("/cases/new/", form(id_number=VALID_ID))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    year = timezone.localdate().year
    assert case.number == f"{year}-0001"
    assert case.state == State.REGISTERED
    assert case.registered_by == people["clerk"]
    assert case.petitioner.id_number == VALID_ID
    row = case.history.get()
    assert (row.transition, row.history_user) == ("登记", people["clerk"])
    clerk.post("/cases/new/", form(summary="第二件"))
    assert Case.objects.get(summary="第二件").number == f"{year}-0002"


def test_double_submit_makes_one_case(clerk):
    data = form()
    first = clerk.post("/cases/new/", data)
    second = clerk.post("/cases/new/", data, follow=True)
    assert Case.objects.count() == 1
    assert first["Location"] == second.redirect_chain[0][0]
    assert "只登记了一次" in second.content.decode()


BAD_INPUT = [
    ("empty name", {"name": ""}, "请填写信访人姓名"),
    ("empty summary", {"summary": ""}, "请填写反映的主要问题"),
    ("malformed phone", {"phone": "1381234"}, "联系电话格式不正确"),
    ("wrong ID checksum", {"id_number": "110105194912310021"}, "身份证号校验位不正确"),
    ("short ID", {"id_number": "11010519491231"}, "身份证号应为 18 位"),
    ("over-long summary", {"summary": "长" * 501}, "反映的主要问题不能超过 500 字"),
    (
        "future received date",
        # a callable, read when the test runs: parametrize arguments are made at import,
        # before the test's clock (XF_TODAY, or a test's own) is set
        {"received_on": lambda: (timezone.localdate() + timedelta(days=1)).isoformat()},
        "收到日期不能晚于今天",
    ),
    ("malformed date", {"received_on": "2026-13-45"}, "请按 年-月-日 填写收到日期"),
    ("handed down without reference", {"source": "hotline_12345"}, "请填写上级交办编号"),
    ("group visit without head count", {"is_group": "on"}, "集体访请填写人数"),
    ("leader case without leader", {"is_leader_case": "on"}, "领导包案请选择包案领导"),
    ("repeat of unknown case", {"is_repeat": "on", "repeat_of_number": "2020-9999"}, "请填写可查到的原信访件编号"),
]


@pytest.mark.parametrize("label,overrides,message", BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_is_reported_in_place_and_nothing_is_saved(clerk, label, overrides, message):
    data = form(**{key: value() if callable(value) else value for key, value in overrides.items()})
    response = clerk.post("/cases/new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "已填写的内容都保留着" in body
    # what was typed is still in the form
    assert 'value="2024级软件技术3班"' in body
    assert "三号宿舍楼近一周没有热水。" in body
    assert Case.objects.count() == 0 and Petitioner.objects.count() == 0


def test_upload_over_the_limit_is_refused(clerk, settings):
    big = SimpleUploadedFile("扫描件.pdf", PDF + b"0" * (50 * 1024 * 1024), content_type="application/pdf")
    response = clerk.post("/cases/new/", {**form(), "attachments": [big]})
    body = response.content.decode()
    assert "超过 20 MB 的上限" in body
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0
    assert not any(settings.MEDIA_ROOT.rglob("*")) if settings.MEDIA_ROOT.exists() else True


def test_renamed_executable_is_refused(clerk):
    exe = SimpleUploadedFile("信件.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    response = clerk.post("/cases/new/", {**form(), "attachments": [exe]})
    assert "内容与扩展名不符" in response.content.decode()
    assert Case.objects.count() == 0


def test_disallowed_extension_is_refused(clerk):
    exe = SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 200)
    response = clerk.post("/cases/new/", {**form(), "attachments": [exe]})
    assert "类型不允许" in response.content.decode()
    assert Case.objects.count() == 0


def test_attachments_are_stored_with_the_case(clerk, settings):
    scan = SimpleUploadedFile("来信扫描.pdf", PDF)
    clerk.post("/cases/new/", {**form(), "attachments": [scan]})
    attachment = Case.objects.get().attachments.get()
    assert attachment.original_name == "来信扫描.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    with attachment.file.open("rb") as f:
        assert f.read() == PDF


def test_only_registrars_may_register(people):
    for who in ("leader", "president", "discipline", "admin"):
        c = Client()
        c.force_login(people[who])
        assert c.get("/cases/new/").status_code == 403, who
        assert c.post("/cases/new/", form()).status_code == 403, who
    assert Case.objects.count() == 0


def test_same_petitioner_is_warned_and_can_be_marked_repeat(clerk, people):
    clerk.post("/cases/new/", form())
    earlier = Case.objects.get()
    warning = clerk.post("/cases/similar/", {"name": "王小明", "phone": "13812345678", "summary": ""})
    assert earlier.number in warning.content.decode()
    assert "同一信访人有在办件" in warning.content.decode()
    clerk.post("/cases/new/", form(summary="再次反映热水问题", is_repeat="on", repeat_of_number=earlier.number))
    repeat = Case.objects.get(summary="再次反映热水问题")
    assert repeat.is_repeat and repeat.repeat_of == earlier
    assert repeat.petitioner == earlier.petitioner  # one person, one petitioner row


def test_similar_summary_is_warned(clerk):
    clerk.post("/cases/new/", form(name="李四", phone="13900000000", summary="反映宿舍热水供应不正常，已多日"))
    response = clerk.post("/cases/similar/", {"name": "张三", "phone": "", "summary": "反映宿舍热水供应不正常"})
    assert "相似的在办件" in response.content.decode()
    response = clerk.post("/cases/similar/", {"name": "张三", "phone": "", "summary": "咨询转专业的条件"})
    assert "未发现" in response.content.decode()


def test_handed_down_case_keeps_superior_reference_and_deadline(clerk):
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    clerk.post("/cases/new/", form(source="hotline_12345", superior_reference="GD20261121001", superior_deadline=due))
    case = Case.objects.get()
    assert case.get_source_display() == "12345政务服务热线工单"
    assert case.superior_reference == "GD20261121001"
    assert case.superior_deadline.isoformat() == due


def test_id_checksum_function():
    assert id_number_checksum(VALID_ID[:17]) == "X"
