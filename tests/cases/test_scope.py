"""Scope: a case outside the user's scope answers 404 on every URL, and a 举报 is invisible
to the unit and the people it accuses, whatever their role (条例 第30条)."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services
from cases.models import CaseAccessLog, Kind, State
from cases.selectors import cases_visible_to
from tests.conftest import logged_in_client as _client

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _case_urls(case, attachment_uuid) -> list[tuple[str, str]]:
    urls = [
        ("get", f"/cases/{case.pk}/"),
        ("get", f"/cases/{case.pk}/attachments/{attachment_uuid}/"),
        ("post", f"/cases/{case.pk}/attachments/"),
    ]
    for action in (
        "accept",
        "decline",
        "forward",
        "propose",
        "assign",
        "send-back",
        "take",
        "return",
        "reply",
        "review",
        "archive",
        "follow-up",
    ):
        urls.append(("get", f"/cases/{case.pk}/do/{action}/"))
        urls.append(("post", f"/cases/{case.pk}/do/{action}/"))
    return urls


@pytest.fixture
def handled_case(people, make_case):
    case = make_case(state=State.HANDLING, unit="jwc")
    attachment = services.case_add_attachments(
        case=case, actor=people["recep_jwc"], files=[SimpleUploadedFile("信件.pdf", PDF)]
    )[0]
    return case, attachment


SEES = {"clerk", "office", "office2", "admin", "president", "leader", "head_jwc", "recep_jwc"}
BLIND = {"leader2", "head_jsj", "recep_jsj", "head_hqc", "head_xgc", "head_dz", "discipline"}


@pytest.mark.parametrize("username", sorted(BLIND))
def test_out_of_scope_case_is_404_on_every_url(people, handled_case, username):
    case, attachment = handled_case
    client = _client(people[username])
    for method, url in _case_urls(case, attachment.uuid):
        response = getattr(client, method)(url, {"reason": "x"} if method == "post" else None)
        assert response.status_code == 404, (method, url, response.status_code)
    # the list, its filters and its count do not betray it either
    body = client.get("/cases/", {"q": case.number}).content.decode()
    assert f'href="/cases/{case.pk}/"' not in body
    assert "共 0 件" in body
    case.refresh_from_db()
    assert case.state == State.HANDLING


@pytest.mark.parametrize("username", sorted(SEES))
def test_in_scope_users_see_the_case(people, handled_case, username):
    case, attachment = handled_case
    client = _client(people[username])
    assert client.get(case.get_absolute_url()).status_code == 200
    response = client.get(f"/cases/{case.pk}/attachments/{attachment.uuid}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    body = client.get("/cases/", {"q": case.number}).content.decode()
    assert f'href="/cases/{case.pk}/"' in body and "共 1 件" in body


def test_a_unit_does_not_see_a_case_before_it_is_assigned(people, make_case):
    case = make_case(state=State.PROPOSED, unit="jwc")
    assert _client(people["head_jwc"]).get(case.get_absolute_url()).status_code == 404


def test_unknown_attachment_of_a_visible_case_is_404(people, handled_case):
    case, _ = handled_case
    response = _client(people["office"]).get(f"/cases/{case.pk}/attachments/{uuid.uuid4()}/")
    assert response.status_code == 404


def test_attachments_are_not_served_from_a_public_url(people, handled_case, settings):
    _case, attachment = handled_case
    path = attachment.file.path
    assert str(settings.MEDIA_ROOT) in path and "static" not in path
    assert _client(people["office"]).get("/media/" + attachment.file.name).status_code == 404


# --- 举报 confidentiality ----------------------------------------------------------------


@pytest.fixture
def report(people, units, make_case):
    """A 举报 against 计算机工程学院 and its head 刘院长, handled by 教务处."""
    return make_case(
        state=State.HANDLING,
        unit="jwc",
        kind=Kind.REPORT,
        summary="举报计算机工程学院奖学金评定弄虚作假",
        accused_units=[units["jsj"]],
        accused_people=["刘院长"],
        petitioner={"name": "举报人甲", "phone": "13900001111"},
    )


def test_report_is_invisible_to_the_accused_unit_and_person(people, report):
    for username in ("head_jsj", "recep_jsj"):
        client = _client(people[username])
        assert client.get(report.get_absolute_url()).status_code == 404
        listing = client.get("/cases/", {"q": "举报人甲"}).content.decode()
        assert f'href="/cases/{report.pk}/"' not in listing and "共 0 件" in listing
        assert not cases_visible_to(user=people[username]).filter(pk=report.pk).exists()
    # the handling unit and the office see it, with the reporter
    assert "举报人甲" in _client(people["recep_jwc"]).get(report.get_absolute_url()).content.decode()
    assert _client(people["office"]).get(report.get_absolute_url()).status_code == 200
    assert _client(people["discipline"]).get(report.get_absolute_url()).status_code == 200


def test_report_is_invisible_to_an_accused_office_member_whatever_the_role(people, make_case):
    case = make_case(kind=Kind.REPORT, accused_people=["成信访"])  # the office user "office"
    assert _client(people["office"]).get(case.get_absolute_url()).status_code == 404
    assert _client(people["office2"]).get(case.get_absolute_url()).status_code == 200


def test_report_cannot_be_proposed_to_the_accused_unit(people, units, make_case):
    case = make_case(state=State.ACCEPTED, kind=Kind.REPORT, accused_units=[units["jsj"]])
    response = _client(people["office"]).post(
        f"/cases/{case.pk}/do/propose/",
        {"main_unit": units["jsj"].pk, "approving_leader": people["leader"].pk, "proposal": "拟办"},
    )
    assert "被举报部门不能承办针对本部门的举报件" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    with pytest.raises(services.TransitionRefused, match="被举报部门"):
        services.case_propose(
            case=case,
            actor=people["office"],
            main_unit=units["jsj"],
            co_units=[],
            approving_leader=people["leader"],
            proposal="拟办",
        )


def test_every_view_of_a_report_is_logged(people, report):
    _client(people["office"]).get(report.get_absolute_url())
    _client(people["recep_jwc"]).get(report.get_absolute_url())
    logs = CaseAccessLog.objects.filter(case=report).order_by("at")
    assert [(log.user.username, log.action) for log in logs] == [("office", "查看"), ("recep_jwc", "查看")]


def test_ordinary_cases_are_not_logged(people, handled_case):
    case, _ = handled_case
    _client(people["office"]).get(case.get_absolute_url())
    assert not CaseAccessLog.objects.filter(case=case).exists()


def test_queues_count_only_cases_in_scope(people, report, make_case):
    make_case(state=State.ASSIGNED, unit="jsj")
    body = _client(people["head_jsj"]).get("/").content.decode()
    assert 'data-testid="count-to_take">1<' in body
    assert 'data-testid="count-handling">0<' in body  # the report in 办理中 at jwc is not counted
