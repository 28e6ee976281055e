"""An audit trail nobody can edit (issue 13, point 8): the histories and the access log
are append-only on PostgreSQL, read-only in the admin for everyone; a step whose history
row cannot be written does not happen; a refused request is logged with user and
address; an administrator reads a 举报 only with the discipline role, and is logged."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from cases import services
from cases.models import CaseAccessLog, Kind, Recusal, State
from people.models import User
from tests.conftest import requires_postgres

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(today_is):
    today_is(date(2026, 11, 10))


def _audit_tables() -> list[str]:
    """Every simple-history table, the access log and the recusals (回避记录): a history
    added later is covered."""
    tables = [m._meta.db_table for m in apps.get_models() if m.__name__.startswith("Historical")]
    return sorted([*tables, CaseAccessLog._meta.db_table, Recusal._meta.db_table])


@requires_postgres
def test_every_audit_table_refuses_update_and_delete_on_the_apps_own_connection(people, make_case):
    case = make_case("accepted")
    CaseAccessLog.objects.create(case=case, user=people["office"], action="查看")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE '%%_append_only' AND NOT t.tgisinternal"
        )
        guarded = sorted(row[0] for row in cursor.fetchall())
    assert guarded == _audit_tables()
    for sql in (
        "UPDATE cases_historicalcase SET history_change_reason = 'rewritten'",
        "DELETE FROM cases_historicalcase",
        "UPDATE cases_caseaccesslog SET user_id = NULL",
        "DELETE FROM cases_caseaccesslog",
    ):
        with pytest.raises(DatabaseError, match="审计记录只能追加"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
    assert case.history.count() >= 2 and CaseAccessLog.objects.filter(case=case).count() == 1


@requires_postgres
def test_a_step_whose_history_cannot_be_written_does_not_happen(people, make_case):
    case = make_case("registered")
    before = case.history.count()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION pg_temp.refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'history is full'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_history BEFORE INSERT ON cases_historicalcase "
            "FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse()"
        )
    with pytest.raises(DatabaseError, match="history is full"):
        services.case_accept(case=case, actor=people["office"], reason="符合受理条件")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER refuse_history ON cases_historicalcase")
    case.refresh_from_db()
    assert case.state == State.REGISTERED
    assert case.history.count() == before


@pytest.mark.parametrize("user", ["admin", "superuser"])
def test_the_admin_cannot_add_change_or_delete_audit_rows(people, make_case, client_for, user):
    if user == "superuser":
        person = User.objects.create_superuser("root", "root@example.edu.cn", "a long root password", role="office")
    else:
        person = people["admin"]
    case = make_case("accepted")
    row = CaseAccessLog.objects.create(case=case, user=people["office"], action="查看")
    client = client_for(person)
    assert client.get("/admin/cases/caseaccesslog/").status_code == 200
    assert client.get("/admin/cases/caseaccesslog/add/").status_code == 403
    assert client.post(f"/admin/cases/caseaccesslog/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    page = client.get(f"/admin/cases/caseaccesslog/{row.pk}/change/")
    assert page.status_code == 200 and 'type="submit" value="保存"' not in page.content.decode()
    assert CaseAccessLog.objects.filter(pk=row.pk).exists()


def _report(make_case, units):
    return make_case(
        "accepted",
        kind=Kind.REPORT,
        summary="举报某学院违规收费（审计测试）",
        petitioner={"name": "举报人甲", "phone": "13912345678"},
        accused_units=[units["jsj"]],
    )


def test_an_administrator_without_the_discipline_role_reads_no_report(people, units, make_case, client_for):
    report = _report(make_case, units)
    client = client_for(people["admin"])
    for url in (
        "/admin/cases/case/",
        "/admin/cases/petitioner/",
        "/admin/cases/attachment/",
        "/admin/cases/caseaccesslog/",
        "/admin/notifications/notification/",
        "/admin/supervision/notice/",
    ):
        body = client.get(url).content.decode()
        assert report.number not in body and "举报人甲" not in body, url
    detail = client.get(f"/admin/cases/case/{report.pk}/change/", follow=True)
    assert report.summary not in detail.content.decode()
    # simple-history's own pages read the history table directly: scoped too
    version = report.history.latest("history_date").history_id
    for url in (f"/admin/cases/case/{report.pk}/history/", f"/admin/cases/case/{report.pk}/history/{version}/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert report.summary not in response.content.decode() and "举报人甲" not in response.content.decode()
    assert client.get(f"/cases/{report.pk}/").status_code == 404


def test_a_staff_member_with_the_discipline_role_reads_it_and_is_logged(people, units, make_case, client_for):
    report = _report(make_case, units)
    discipline = people["discipline"]
    discipline.is_staff = discipline.is_superuser = True  # an administrator who is also 纪检监察
    discipline.save()
    client = client_for(discipline)
    assert report.number in client.get("/admin/cases/case/").content.decode()
    assert client.get(f"/admin/cases/case/{report.pk}/change/", REMOTE_ADDR="10.1.2.3").status_code == 200
    log = CaseAccessLog.objects.get(case=report, user=discipline, action="管理后台查看")
    assert log.ip_address == "10.1.2.3"
    version = report.history.latest("history_date").history_id
    page = client.get(f"/admin/cases/case/{report.pk}/history/{version}/")
    assert page.status_code == 200 and report.summary in page.content.decode()
    assert CaseAccessLog.objects.filter(case=report, user=discipline, action="管理后台查看历史版本").exists()


def test_an_out_of_scope_request_is_logged_with_user_and_address(people, make_case, client_for, caplog):
    case = make_case("handling", unit="jwc")
    caplog.set_level(logging.WARNING, logger="xinfang.security")
    response = client_for(people["recep_jsj"]).get(f"/cases/{case.pk}/", REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 404
    lines = [r.getMessage() for r in caplog.records if r.name == "xinfang.security"]
    assert f"refused status=404 user=recep_jsj ip=10.9.8.7 method=GET path=/cases/{case.pk}/" in lines
