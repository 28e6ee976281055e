"""The annual assessment (issue 7 item 2): figures against a hand-computed fixture, the
veto, the minimum-volume rule, confirmation freezing the result, access, and the exports."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accountability import assessment as A
from accountability import assessment_services as S
from accountability.models import AssessmentRow
from cases.models import Case, Satisfaction
from deadlines.clocks import Clock, DeadlineRule


@pytest.fixture
def year() -> int:
    """The year assessed: this one (read when the test runs, so under XF_TODAY too)."""
    return timezone.localdate().year


def _day() -> dt.date:
    today = timezone.localdate()
    return max(today - dt.timedelta(days=1), today.replace(month=1, day=1))


def _clock(case, slot: str, *, on_time: bool) -> Clock:
    """A stopped clock of `slot`, due and stopped in the year."""
    rule = DeadlineRule.objects.filter(slot=slot, raises_notice=True).first()
    due = timezone.make_aware(dt.datetime(timezone.localdate().year, 1, 1, 12))
    stopped = due - dt.timedelta(hours=1) if on_time else due + dt.timedelta(days=1)
    return Clock.objects.create(
        case=case,
        rule=rule,
        round=9,
        started_at=due - dt.timedelta(days=10),
        start_date=(due - dt.timedelta(days=10)).date(),
        due_at=due,
        warn_at=due - dt.timedelta(days=3),
        status="stopped",
        stopped_at=stopped,
        on_time=on_time,
    )


@pytest.fixture
def fixture_year(make_case, raise_notice, units, year):
    """jwc: 4 cases; jsj: 3 clean cases; hqc: 1 case (under the minimum volume of 3)."""

    def case(unit, satisfaction="", **flags):
        c = make_case("assigned", unit=unit, received_on=_day())
        # The clocks the walk started are moved out of the year, so only ours count.
        Clock.objects.filter(case=c).update(
            status="running", stopped_at=None, on_time=None, due_at=timezone.make_aware(dt.datetime(year + 2, 6, 1))
        )
        Case.objects.filter(pk=c.pk).update(satisfaction=satisfaction, **flags)
        return c

    j1 = case("jwc", Satisfaction.SATISFIED, is_repeat=True)
    j2 = case("jwc", Satisfaction.BASICALLY, is_over_level=True)
    j3 = case("jwc", Satisfaction.DISSATISFIED)
    j4 = case("jwc")
    for c, on_time in ((j1, True), (j2, False), (j3, True), (j4, True)):
        _clock(c, "completion", on_time=on_time)
    _clock(j1, "unit_result", on_time=True)
    _clock(j2, "unit_result", on_time=True)
    raise_notice(j2)
    for _ in range(3):
        c = case("jsj", Satisfaction.SATISFIED)
        _clock(c, "completion", on_time=True)
    case("hqc", Satisfaction.SATISFIED)
    return {r.unit_name: r for r in A.compute(year)}


def test_figures_match_the_hand_computed_fixture(fixture_year, units):
    jwc = fixture_year[units["jwc"].name]
    f = jwc.figures
    assert (f["received"], f["rated"], f["satisfied"]) == (4, 3, 2)
    assert (f["completion_stopped"], f["completion_late"]) == (4, 1)
    assert f["completion_rate"] == Decimal("75.00")  # 3 of 4 on time
    assert f["reply_rate"] == Decimal("100.00")  # 2 of 2
    assert f["satisfaction_rate"] == Decimal("66.67")  # 2 of 3 rated
    assert (f["overdue"], f["notices"], f["escalated"]) == (1, 1, 0)
    assert (f["repeat"], f["over_level"], f["group"]) == (1, 1, 0)
    # 40x75% + 30x100% + 30x66.67% = 30 + 30 + 20.001; less 1 overduex2, 1 noticex2,
    # 1 repeatx1, 1 越级x3 = 8  →  72.00. It passes the score line (60) but not the
    # completion floor (80 %).
    assert jwc.score == Decimal("72.00")
    assert not jwc.passed and "办结按期率低于下限" in jwc.reasons

    jsj = fixture_year[units["jsj"].name]
    assert jsj.figures["reply_rate"] is None  # nothing counted: full weight
    assert jsj.score == Decimal("100.00") and jsj.passed
    assert jsj.rank == 1 and jwc.rank == 2


def test_minimum_volume_shows_but_does_not_rank(fixture_year, units):
    hqc = fixture_year[units["hqc"].name]
    assert hqc.figures["received"] == 1 and hqc.score == Decimal("100.00")
    assert hqc.rank is None
    assert fixture_year[units["rj"].name].rank is None  # no cases at all


def test_the_veto_fails_a_unit_whatever_its_score(fixture_year, people, units, year):
    S.veto_record(year=year, unit=units["jsj"], actor=people["office"], reason="发生重大群体性事件")
    rows = {r.unit_name: r for r in A.compute(year)}
    jsj = rows[units["jsj"].name]
    assert jsj.score == Decimal("100.00")
    assert jsj.vetoed and not jsj.passed and jsj.veto_reason == "发生重大群体性事件"
    assert jsj.rank is None and rows[units["jwc"].name].rank == 1


def test_a_decided_loss_of_honours_is_a_veto(fixture_year, people, units, open_case, year):
    from accountability import services

    acase = open_case(subject="jsj")
    for m in services.case_propose(acase=acase, actor=people["office2"], kinds=["unit_no_honours"], reason="建议"):
        services.measure_decide(measure=m, actor=people["office"], approve=True, note="同意")
    jsj = {r.unit_name: r for r in A.compute(year)}[units["jsj"].name]
    assert jsj.vetoed and not jsj.passed and "取消年度评优资格" in jsj.veto_reason


def test_only_the_office_writes(people, units, year):
    for who in ("discipline", "leader", "head_jwc"):
        with pytest.raises(PermissionDenied):
            S.veto_record(year=year, unit=units["jwc"], actor=people[who], reason="x")
    with pytest.raises(ValidationError):
        S.veto_record(year=year, unit=units["jwc"], actor=people["office"], reason="  ")


def test_confirm_freezes_the_result(fixture_year, people, units, make_case, year):
    S.scheme_save(year=year, actor=people["office"], values={"pass_score": Decimal("70")})
    result = S.confirm(year=year, actor=people["office"])
    rows, stored = A.assessment(year)
    assert stored == result
    before = {r.unit_name: (r.score, r.rank, r.figures["received"]) for r in rows}
    assert before[units["jwc"].name] == (Decimal("72.00"), 2, 4)

    # later data does not move the frozen figures
    make_case("assigned", unit="jwc", received_on=_day())
    rows, _ = A.assessment(year)
    assert {r.unit_name: (r.score, r.rank, r.figures["received"]) for r in rows} == before
    assert A.compute(year) and {r.unit_name: r for r in A.compute(year)}[units["jwc"].name].figures["received"] == 5

    # every write on the year is refused; a note is the only correction
    with pytest.raises(A.Frozen):
        S.confirm(year=year, actor=people["office"])
    with pytest.raises(A.Frozen):
        S.recompute(year=year)
    with pytest.raises(A.Frozen):
        S.scheme_save(year=year, actor=people["office"], values={"pass_score": Decimal("10")})
    with pytest.raises(A.Frozen):
        S.veto_record(year=year, unit=units["jwc"], actor=people["office"], reason="补登")
    row = AssessmentRow.objects.get(result=result, unit=units["jwc"])
    row.score = Decimal("99")
    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        result.save()
    assert AssessmentRow.objects.get(pk=row.pk).score == Decimal("72.00")
    note = S.note_add(year=year, actor=people["office"], text="教务处一件超期系系统故障所致，特此说明。")
    assert note.pk


def test_page_access_and_confirm_through_the_page(fixture_year, people, client_for, units, year):
    url = reverse("accountability:assessment_year", args=[year])
    for who in ("office", "discipline", "leader", "president"):
        r = client_for(people[who]).get(url)
        assert r.status_code == 200, who
        assert units["jsj"].name in r.content.decode()
    for who in ("head_jwc", "recep_jwc", "clerk"):
        assert client_for(people[who]).get(url).status_code == 404, who
        assert client_for(people[who]).get(reverse("accountability:assessment_xlsx", args=[year])).status_code == 404
    assert (
        client_for(people["head_jwc"]).post(reverse("accountability:assessment_confirm", args=[year])).status_code
        == 404
    )
    assert client_for(people["leader"]).get(reverse("accountability:assessment")).status_code == 200

    # a leader cannot confirm; the office can, once
    client_for(people["leader"]).post(reverse("accountability:assessment_confirm", args=[year]))
    assert not A.is_frozen(year)
    office = client_for(people["office"])
    office.post(reverse("accountability:assessment_veto", args=[year]), {"unit": units["jwc"].pk, "reason": "瞒报"})
    office.post(reverse("accountability:assessment_note", args=[year]), {"text": "经学院会议研究确认。"})
    r = office.post(reverse("accountability:assessment_confirm", args=[year]), follow=True)
    assert A.is_frozen(year)
    body = r.content.decode()
    assert 'data-testid="frozen-banner"' in body and 'data-testid="confirm-form"' not in body
    assert "瞒报" in body and "经学院会议研究确认" in body


def test_xlsx_export(fixture_year, people, client_for, units, year):
    r = client_for(people["office"]).get(reverse("accountability:assessment_xlsx", args=[year]))
    assert r.status_code == 200
    assert r["Content-Disposition"] == f'attachment; filename="assessment-{year}.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == f"{settings.XINFANG_ORGANISATION}{year}年度信访工作考核结果"
    assert rows[1][:3] == ("排名", "单位", "受理件数")
    assert rows[2][:2] == (1, units["jsj"].name)
    assert rows[3][1] == units["jwc"].name and rows[3][12] == 72.0


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_pdf_export(fixture_year, people, client_for, units, tmp_path, year):
    r = client_for(people["discipline"]).get(reverse("accountability:assessment_pdf", args=[year]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert str(year) in text and units["jsj"].name in text
