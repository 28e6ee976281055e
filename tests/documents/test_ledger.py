"""The ledger (台账): the exact columns of seed 000 附件2, its values read back with
openpyxl, the scope of the person exporting, constant queries, the form's messages, the
background export with progress, the command line, and LibreOffice opening the file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Case, Kind
from documents import ledger as exports
from documents.ledger import LEDGER_COLUMNS, LedgerQuery
from documents.models import LedgerExport
from tests.conftest import logged_in_client as _client

HEADER = [
    "序号",
    "信访人姓名",
    "联系电话",
    "受理渠道",
    "受理日期",
    "受理人",
    "反映的主要问题",
    "处理情况",
    "答复部门",
    "备注",
]


@pytest.fixture
def year() -> int:
    """This year, in Shanghai, read when the test runs (so under XF_TODAY too)."""
    return timezone.localdate().year


@pytest.fixture
def make_case(make_case):
    """make_case, received today unless told otherwise: the ledger is by the year received,
    and the shared default (yesterday) is last year on 1 January."""

    def make(*args, **fields):
        fields.setdefault("received_on", timezone.localdate())
        return make_case(*args, **fields)

    return make


def _read(content: bytes, title: str | None = None) -> list[tuple]:
    """The table under the title row: the header, then the rows. The title row is checked
    here: the organisation's ledger (exactly `title` when given), alone on its row."""
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    heading, *rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert heading[0] == title if title else heading[0].startswith(settings.XINFANG_ORGANISATION)
    assert heading[0].endswith("信访工作台账") and not any(heading[1:])
    return rows


def _export(user, title: str | None = None, **form) -> list[tuple]:
    response = _client(user).post("/ledger/", {"year": timezone.localdate().year, **form})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return _read(b"".join(response.streaming_content), title=title)


def test_the_header_is_exactly_seed_000_annex_2():
    assert LEDGER_COLUMNS == HEADER


def test_rows_carry_the_case_facts(people, make_case):
    replied = make_case(
        "replied",
        unit="jwc",
        petitioner={"name": "李明华", "phone": "13812345678"},
        summary="反映期末考试成绩录入错误",
        is_group=True,
        group_size=5,
    )
    declined = make_case("not_accepted", petitioner={"name": "王小二", "phone": "13900000000"})
    rows = _export(people["office"], extra=["number", "state"])
    assert list(rows[0]) == [*HEADER, "编号", "状态"]
    by_number = {r[10]: r for r in rows[1:]}
    row = by_number[replied.number]
    assert row[:7] == (
        row[0],
        "李明华",
        "13812345678",  # the office keeps the ledger of record: full phone
        "来信",
        dt.datetime.combine(replied.received_on, dt.time()),
        "周登记",
        "反映期末考试成绩录入错误",
    )
    assert row[7] == f"已答复（{replied.get_outcome_display()}）：{replied.report_handling}"
    assert (row[8], row[9], row[11]) == ("教务处", "集体访5人", "答复")
    assert by_number[declined.number][7].startswith("不予受理：")
    assert [r[0] for r in rows[1:]] == list(range(1, len(rows)))  # 序号 runs 1..n


def test_a_unit_exports_its_own_ledger_and_never_a_report_against_it(people, make_case, units, year):
    mine = make_case("handling", unit="jsj", petitioner={"name": "张三", "phone": "13700001111"})
    other = make_case("handling", unit="jwc")
    report = make_case("handling", unit="jwc", kind=Kind.REPORT, summary="举报计算机工程学院违规收费")
    report.accused_units.add(units["jsj"])
    # the download's title row names the unit and the year, as the background export's does
    jsj_rows = _export(
        people["head_jsj"], title=f"{settings.XINFANG_ORGANISATION}计算机工程学院{year}年信访工作台账", extra=["number"]
    )
    numbers = {r[10] for r in jsj_rows[1:]}
    assert numbers == {mine.number}
    assert jsj_rows[1][2] == "137****1111"  # a unit gets the phone masked
    # asking for another unit's ledger is refused in place
    response = _client(people["head_jsj"]).post("/ledger/", {"year": year, "unit": units["jwc"].pk})
    assert response.status_code == 400 and "请选择列表中的部门。" in response.content.decode()
    jwc = {r[10] for r in _export(people["head_jwc"], extra=["number"])[1:]}
    assert jwc == {other.number, report.number}


def test_the_filters(people, make_case, units, year):
    # last year's January and March: both in the past, and in one year, whatever today is
    last = year - 1
    a = make_case("handling", unit="jwc", received_on=dt.date(last, 1, 10))
    b = make_case("handling", unit="jsj", received_on=dt.date(last, 3, 10), channel="visit")
    office = people["office"]

    def numbers(**form):
        return {r[10] for r in _export(office, extra=["number"], year=last, **form)[1:]}

    assert {a.number, b.number} <= numbers()
    assert numbers(unit=units["jsj"].pk) == {b.number}
    assert numbers(channel="visit") == {b.number}
    assert numbers(date_from=f"{last}-01-01", date_to=f"{last}-01-31") == {a.number}
    assert numbers(state=["handling"], unit=units["jwc"].pk) == {a.number}


def test_query_count_does_not_grow_with_rows(people, make_case, year):
    office = people["office"]
    query = LedgerQuery(year=year)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            exports.export_ledger(user=office, query=query, out=io.BytesIO())
        return len(ctx.captured_queries)

    make_case("handling", unit="jwc")
    few = count()
    for _ in range(6):
        make_case("replied", unit="jsj")
    assert Case.objects.count() == 7
    assert count() == few


def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(people, year):
    office = _client(people["office"])
    response = office.post("/ledger/", {"year": "", "date_from": f"{year}-05-01", "date_to": f"{year}-04-01"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "结束日期不能早于开始日期。" in text and f'value="{year}-05-01"' in text
    response = office.post("/ledger/", {"year": "", "date_from": "", "date_to": ""})
    assert "请选择年度，或填写收到日期的起止范围。" in response.content.decode()
    response = office.post("/ledger/", {"year": "20x6"})
    assert "年度应为四位数字" in response.content.decode()
    response = office.post("/ledger/", {"year": year, "date_from": f"{year - 1}-12-01"})
    assert f"日期应在 {year} 年内" in response.content.decode()
    assert _client(people["clerk"]).get("/ledger/").status_code == 403


def test_a_large_ledger_is_written_in_the_background_with_progress(people, make_case, settings, year):
    settings.LEDGER_EXPORT_SYNC_LIMIT = 2
    for _ in range(3):
        make_case("handling", unit="jwc")
    office = _client(people["office"])
    response = office.post("/ledger/", {"year": year})
    job = LedgerExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ledger/exports/{job.pk}/"
    assert (job.status, job.total) == ("pending", 3)
    page = office.get(f"/ledger/exports/{job.pk}/").content.decode()
    assert f'hx-get="/ledger/exports/{job.pk}/progress/"' in page and "0 / 3 行" in page

    exports.ledger_export_run(job.pk)  # what the worker runs
    exports.ledger_export_run(job.pk)  # a second delivery of the task changes nothing
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 3, 3) and job.expires_at > job.finished_at
    progress = office.get(f"/ledger/exports/{job.pk}/progress/").content.decode()
    assert "3 / 3 行" in progress and "hx-get" not in progress and 'data-testid="download"' in progress
    download = office.get(f"/ledger/exports/{job.pk}/download/")
    rows = _read(b"".join(download.streaming_content))
    assert list(rows[0]) == HEADER and len(rows) == 4
    # another person's export is not there for anyone else
    assert _client(people["office2"]).get(f"/ledger/exports/{job.pk}/download/").status_code == 404
    # once its keeping time is over, the file goes
    assert exports.purge_expired_exports(now=job.expires_at) == 1
    assert office.get(f"/ledger/exports/{job.pk}/download/").status_code == 404


def test_the_command_line_export(people, make_case, tmp_path, capsys, year):
    make_case("handling", unit="jwc")
    make_case("handling", unit="jsj")
    out = tmp_path / "jwc.xlsx"
    call_command("export_ledger", "--year", str(year), "--unit", "jwc", "--out", str(out))
    assert "已导出 1 行" in capsys.readouterr().out
    rows = _read(out.read_bytes(), title=f"{settings.XINFANG_ORGANISATION}教务处{year}年信访工作台账")
    assert list(rows[0]) == HEADER and rows[1][8] == "教务处"


def test_libreoffice_opens_the_ledger_with_the_same_header(people, make_case, tmp_path, year):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed at set-up (libreoffice-calc-nogui)"
    make_case("replied", unit="jwc", petitioner={"name": "李明华", "phone": "13812345678"})
    path = tmp_path / "ledger.xlsx"
    exports.export_ledger(user=people["office"], query=LedgerQuery(year=year), out=str(path))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with open(tmp_path / "ledger.csv", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == f"{settings.XINFANG_ORGANISATION}{year}年信访工作台账"
    assert rows[1] == HEADER
    assert rows[2][1] == "李明华" and rows[2][8] == "教务处"


@pytest.mark.parametrize("role", ["leader", "discipline"])
def test_every_exporter_is_scoped(people, make_case, role):
    make_case("handling", unit="jwc")
    report = make_case("handling", unit="jwc", kind=Kind.REPORT)
    rows = _export(people[role], extra=["number"])
    numbers = {r[10] for r in rows[1:]}
    if role == "discipline":
        assert numbers == {report.number}  # discipline sees 举报 only
    else:
        assert report.number in numbers and len(numbers) == 2


def test_the_year_end_archive_bundles_ledgers_and_documents_by_unit(people, make_case, settings, year):
    import zipfile

    from documents.services import document_issue

    jwc = make_case("archived", unit="jwc")
    jsj = make_case("followed_up", unit="jsj")
    open_case = make_case("handling", unit="jwc")
    opinion = document_issue(case=jwc, kind="opinion", actor=people["office"])
    document_issue(case=jsj, kind="registration", actor=people["office"])
    document_issue(case=open_case, kind="registration", actor=people["office"])
    office = _client(people["office"])
    response = office.post("/ledger/archive/", {"year": year})
    job = LedgerExport.objects.get()
    assert response["Location"] == f"/ledger/exports/{job.pk}/" and job.params["archive"] is True
    exports.ledger_export_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 6, 6)  # the rows of its three ledgers
    download = office.get(f"/ledger/exports/{job.pk}/download/")
    assert download["Content-Type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    root = f"{year}年信访档案"
    names = set(zf.namelist())
    assert f"{root}/信访工作台账_{year}年.xlsx" in names
    assert f"{root}/教务处/信访工作台账_教务处_{year}年.xlsx" in names
    assert f"{root}/计算机工程学院/信访工作台账_计算机工程学院_{year}年.xlsx" in names
    jwc_doc = f"{root}/教务处/{jwc.number}/信访处理意见书_{opinion.number}.pdf"
    with opinion.file.open("rb") as fh:
        assert zf.read(jwc_doc) == fh.read()  # the exact bytes sent
    assert any(n.startswith(f"{root}/计算机工程学院/{jsj.number}/信访登记表_") for n in names)
    assert not any(open_case.number in n for n in names)  # still open: not archived yet
    unit_rows = _read(
        zf.read(f"{root}/教务处/信访工作台账_教务处_{year}年.xlsx"),
        title=f"{settings.XINFANG_ORGANISATION}教务处{year}年信访工作台账",
    )
    assert list(unit_rows[0]) == HEADER and len(unit_rows) == 3  # both jwc cases, open or not
    # only the office archives
    assert _client(people["head_jwc"]).post("/ledger/archive/", {"year": year}).status_code == 403
    response = office.post("/ledger/archive/", {"year": year + 1}, follow=True)
    assert "只能归档今年及以前的年度。" in response.content.decode()


def test_exporting_a_report_is_logged_and_no_cell_becomes_a_formula(people, make_case, year):
    from openpyxl import load_workbook as load

    from cases.models import CaseAccessLog

    report = make_case("handling", unit="jwc", kind=Kind.REPORT, summary='=HYPERLINK("http://x","点此")')
    response = _client(people["office"]).post("/ledger/", {"year": year})
    content = b"".join(response.streaming_content)
    log = CaseAccessLog.objects.get(case=report)
    assert (log.user, log.action) == (people["office"], "导出台账")
    sheet = load(io.BytesIO(content)).active
    cell = sheet.cell(row=3, column=7)  # under the title and the header
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x","点此")', "s")
