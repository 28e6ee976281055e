"""Work in bulk (issue 14, point 3; cases.bulk): tick rows in the list or a queue, take one
step on all of them through the single case's own step and checks, and read a result
line per case; export the ticked rows as the ledger."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Case, Kind, State

pytestmark = pytest.mark.django_db


def _results(client) -> list[tuple[str, str, str]]:
    """(number, 已办理/未办理, message) per line of the result page."""
    html = client.get("/cases/bulk/").content.decode()
    rows = re.findall(r'<tr data-ok="[01]">(.*?)</tr>', html, re.S)
    out = []
    for row in rows:
        number = re.search(r"(\d{4}-\d{4}|#\d+|…)", row).group(1)
        result = "已办理" if "已办理</span>" in row else "未办理"
        message = re.findall(r'<td data-label="说明">(.*?)</td>', row, re.S)[0].strip()
        out.append((number, result, message))
    return out


def test_the_office_accepts_several_at_once_with_a_line_for_each(people, make_case, client_for):
    fresh, other, done = make_case("registered"), make_case("registered"), make_case("accepted")
    client = client_for(people["office"])
    listing = client.get("/cases/").content.decode()
    assert 'data-testid="bulk-bar"' in listing and '<option value="accept">受理</option>' in listing
    ids = [fresh.pk, other.pk, done.pk]
    form = client.post("/cases/bulk/", {"action": "accept", "ids": ids}).content.decode()
    assert "批量受理：3 件" in form
    response = client.post("/cases/bulk/", {"action": "accept", "ids": ids, "confirm": "1", "reason": "属于职责范围"})
    assert response.status_code == 302 and response["Location"] == "/cases/bulk/"
    assert _results(client) == [
        (fresh.number, "已办理", "已受理，当前状态“受理”。"),
        (other.number, "已办理", "已受理，当前状态“受理”。"),
        (done.number, "未办理", "当前为“受理”，您不能受理。"),
    ]
    for case in (fresh, other):
        last = Case.objects.get(pk=case.pk).history.order_by("-history_id").first()
        assert (last.state, last.history_user, last.history_change_reason) == (
            "accepted",
            people["office"],
            "属于职责范围",
        )
    # the result is shown once: a reload runs nothing and shows nothing again
    assert client.get("/cases/bulk/").status_code == 302


def test_a_leader_assigns_in_bulk_and_each_case_keeps_its_own_checks(people, make_case, client_for):
    mine = make_case("proposed")
    limited = make_case("proposed", source="sunshine", sunshine_class="consultation")
    theirs = make_case("proposed")
    Case.objects.filter(pk=theirs.pk).update(approving_leader=people["leader2"])
    due = timezone.localdate() + timedelta(days=10)
    client = client_for(people["leader"])
    data = {
        "action": "assign",
        "ids": [mine.pk, limited.pk, theirs.pk],
        "confirm": "1",
        "instruction": "同意拟办意见。",
    }
    # the form's own messages first, with the ticked cases kept
    page = client.post("/cases/bulk/", data).content.decode()
    assert "请填写办理期限。" in page and "同意拟办意见。</textarea>" in page
    assert page.count('name="ids"') == 3
    client.post("/cases/bulk/", {**data, "due_date": due.isoformat()})
    lines = {number: (result, message) for number, result, message in _results(client)}
    assert lines[mine.number] == ("已办理", "已批示交办，当前状态“交办”。")
    assert lines[limited.number][0] == "未办理" and "期限" in lines[limited.number][1]
    assert lines[theirs.number] == ("未办理", "当前为“拟办”，您不能批示交办。")
    assert Case.objects.get(pk=mine.pk).state == State.ASSIGNED
    assert Case.objects.get(pk=limited.pk).state == State.PROPOSED


def test_out_of_scope_and_reports_are_refused_by_line(people, make_case, client_for, units):
    report = make_case("accepted", kind=Kind.REPORT, summary="举报某某")
    ordinary = make_case("accepted")
    client = client_for(people["office"])
    data = {
        "action": "propose",
        "ids": [report.pk, ordinary.pk],
        "confirm": "1",
        "main_unit": units["jwc"].pk,
        "approving_leader": people["leader"].pk,
        "proposal": "拟请教务处办理",
    }
    client.post("/cases/bulk/", data)
    lines = {number: (result, message) for number, result, message in _results(client)}
    assert lines[report.number] == ("未办理", "举报件须逐件办理（《信访工作条例》第三十条）。")
    assert lines[ordinary.number][0] == "已办理"
    # a unit's receptionist is offered no step, and a case outside their scope is not even listed
    assert (
        client_for(people["recep_jsj"]).post("/cases/bulk/", {"action": "accept", "ids": [ordinary.pk]}).status_code
        == 302
    )
    assert '<option value="accept">' not in client_for(people["recep_jwc"]).get("/cases/").content.decode()


def test_the_ticked_rows_export_as_the_ledger_in_the_readers_scope(people, make_case, client_for):
    mine, other, hidden = (
        make_case("handling", unit="jwc"),
        make_case("handling", unit="jwc"),
        make_case("handling", unit="jsj"),
    )
    response = client_for(people["head_jwc"]).post("/ledger/selected/", {"ids": [mine.pk, hidden.pk]})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    heading, header, *rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert heading[0].endswith("信访工作台账（所选 1 件）")
    summaries = {row[header.index("反映的主要问题")] for row in rows}
    assert summaries == {mine.summary}
    assert other.summary not in summaries and hidden.summary not in summaries
