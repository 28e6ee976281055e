"""The year-end archive's progress (issue 14 point 12): the job page counts the rows the
archive will write, all its ledgers' (the school's and each unit's), and says so before
the worker starts; the worker counts the same rows as it writes them and ends on the
total, so the bar neither stops short nor runs past it."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from documents import ledger as exports
from documents.models import LedgerExport
from documents.services import document_issue
from tests.conftest import logged_in_client


@pytest.fixture
def year() -> int:
    return timezone.localdate().year


def ledger_rows_in(archive: bytes) -> int:
    """The case rows of every ledger in the zip (below each one's title and header)."""
    total = 0
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        for name in zf.namelist():
            if name.endswith(".xlsx"):
                sheet = load_workbook(io.BytesIO(zf.read(name)), read_only=True).worksheets[0]
                total += sum(1 for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] is not None)
    return total


def test_the_archive_progress_counts_the_rows_it_writes(people, make_case, year, monkeypatch):
    today = timezone.localdate()
    jwc = make_case("archived", unit="jwc", received_on=today)
    make_case("followed_up", unit="jsj", received_on=today)
    make_case("handling", unit="jwc", received_on=today)  # in the ledgers, no documents yet
    make_case("registered", received_on=today)  # no unit yet: the 未交办部门 folder
    # a second document of a case is a second file, not another row
    document_issue(case=jwc, kind="opinion", actor=people["office"])
    office = logged_in_client(people["office"])

    office.post("/ledger/archive/", {"year": year})
    job = LedgerExport.objects.get()
    expected = exports.archive_rows(user=people["office"], year=year)
    # the school's ledger has the four cases; 教务处's two, 计算机工程学院's one, 未交办部门's one
    assert expected == 8
    assert job.total == expected  # known before the worker starts
    assert f"0 / {expected} 行" in office.get(f"/ledger/exports/{job.pk}/").content.decode()

    seen: list[int] = []
    out = io.BytesIO()
    rows, _, _ = exports.write_year_archive(user=people["office"], year=year, out=out, progress=seen.append)
    assert rows == ledger_rows_in(out.getvalue()) == expected  # the rows it wrote
    assert seen == sorted(seen) and seen[-1] == expected  # counted up as written, to the total

    exports.ledger_export_run(job.pk)  # what the worker runs
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", expected, expected)
    with job.file.open("rb") as fh:
        assert ledger_rows_in(fh.read()) == expected
    assert f"{expected} / {expected} 行" in office.get(f"/ledger/exports/{job.pk}/progress/").content.decode()
