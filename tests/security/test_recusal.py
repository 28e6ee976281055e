"""Issue 13 point 4: 回避. A member of staff with an interest in the matter or the
petitioner keeps out of the case (《信访工作条例》第二十八条第三款; 《河南省教育系统信访工作
责任制实施细则》第九条): they declare it before handling, step aside mid-case, or the office
orders it. From then on the case answers them 404 everywhere and is left out of their
lists, queues and search; nobody may choose them to approve it; whatever they were to do
goes back to the office. Each recusal is a row nobody can edit, a step on the timeline
and a security log line."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from cases import services
from cases.models import Case, Gravity, Recusal, State
from cases.selectors import cases_visible_to
from notifications.models import Notification
from people.selectors import staff_label
from tests.conftest import requires_postgres

DAY = date(2026, 11, 10)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WORKBENCH = reverse("cases:workbench")


@pytest.fixture(autouse=True)
def _frozen(today_is):
    today_is(DAY)


def _recuse_url(case: Case) -> str:
    return reverse("cases:recuse", args=[case.pk])


def _order_url(case: Case) -> str:
    return reverse("cases:recusal_order", args=[case.pk])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _timeline(client, case: Case) -> str:
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    return body[body.index('data-testid="timeline"') :]


def _hidden_everywhere(client, case: Case, *, queues: tuple[str, ...] = ()) -> None:
    """The case answers 404 on every page of its own and is in no list the person reads."""
    for url in (
        case.get_absolute_url(),
        reverse("cases:superior", args=[case.pk]),
        reverse("cases:action", args=[case.pk, "take"]),
        reverse("cases:action", args=[case.pk, "reply"]),
        _recuse_url(case),
    ):
        assert client.get(url).status_code == 404, url
    for attachment in case.attachments.all():
        assert client.get(reverse("cases:attachment", args=[case.pk, attachment.uuid])).status_code == 404
    for url in (
        WORKBENCH,
        reverse("cases:list"),
        reverse("cases:list") + f"?q={case.number}",
        reverse("cases:list") + f"?q={case.petitioner.name}",
        *(reverse("cases:queue", args=[key]) for key in queues),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        body = page.content.decode()  # a search box shows the number typed: look for the row
        assert f'href="{case.get_absolute_url()}"' not in body and case.summary not in body, url


# --- declared before handling ----------------------------------------------------------------


def test_a_unit_head_who_declares_an_interest_gets_404_and_the_case_leaves_every_list(
    people, make_case, client_for, caplog
):
    case = make_case("assigned", unit="jwc")
    services.case_add_attachments(
        case=case,
        actor=people["recep_jwc"],
        files=[SimpleUploadedFile("来信.pdf", PDF, content_type="application/pdf")],
    )
    head = people["head_jwc"]
    client = client_for(head)
    page = client.get(case.get_absolute_url()).content.decode()
    assert case.number in client.get(reverse("cases:queue", args=["to_take"])).content.decode()
    assert 'data-testid="recuse-link"' in page and "决定他人回避" not in page
    assert "《信访工作条例》第二十八条" in client.get(_recuse_url(case)).content.decode()

    caplog.set_level(logging.INFO, logger="xinfang.security")
    response = client.post(_recuse_url(case), {"reason": "信访人系本人配偶。"})
    assert response.status_code == 302 and response.url == WORKBENCH
    assert any("已记录您的回避（声明利害关系）" in m for m in _messages(response))

    recusal = Recusal.objects.get(case=case)
    assert (recusal.user, recusal.kind, recusal.reason, recusal.recorded_by) == (
        head,
        Recusal.Kind.DECLARED,
        "信访人系本人配偶。",
        head,
    )
    logged = [r.getMessage() for r in caplog.records if r.name == "xinfang.security"]
    assert f"case_recusal case={case.pk} user={head.pk} kind=declared recorded_by={head.pk}" in logged

    _hidden_everywhere(client, case, queues=("to_take", "handling", "to_review"))
    assert case.number not in client.get(reverse("cases:unit")).content.decode()
    assert not cases_visible_to(user=head).filter(pk=case.pk).exists()
    # assignment to them is refused, whatever way they try
    with pytest.raises(services.TransitionRefused, match="您已回避本件"):
        services.case_take(case=case, actor=head)

    # the unit's receptionist still has it, and the office reads who stepped aside and why
    receptionist = client_for(people["recep_jwc"])
    assert receptionist.get(case.get_absolute_url()).status_code == 200
    timeline = _timeline(client_for(people["office"]), case)
    assert "回避：声明利害关系" in timeline and staff_label(head) in timeline and "信访人系本人配偶。" in timeline
    services.case_take(case=case, actor=people["recep_jwc"])
    assert Case.objects.get(pk=case.pk).state == State.HANDLING


# --- ordered by the office ----------------------------------------------------------------------


def test_the_office_recuses_the_approving_leader_who_then_cannot_be_chosen_again(people, make_case, client_for):
    case = make_case("proposed", unit="jwc")
    leader, president = people["leader"], people["president"]
    assert case.approving_leader == leader
    assert client_for(leader).get(case.get_absolute_url()).status_code == 200

    office = client_for(people["office"])
    form = office.get(_order_url(case)).content.decode()
    assert "data-staff-picker" in form and "staff-picker.js" in form
    response = office.post(_order_url(case), {"user": leader.pk, "reason": "信访人系该领导的近亲属。"})
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert any("王分管回避信访件" in m for m in _messages(response))
    recusal = Recusal.objects.get(case=case, user=leader)
    assert (recusal.kind, recusal.recorded_by) == (Recusal.Kind.ORDERED, people["office"])

    # the leader: 404, nothing in the approval queue, and a word that the case is no longer theirs
    _hidden_everywhere(client_for(leader), case, queues=("to_approve",))
    told = Notification.objects.get(user=leader)
    assert case.number in told.text and "信访办已决定您回避" in told.text and told.case is None

    # the office (the other member: the one who ordered it knows) and the 主要领导, who may
    # 批示 meanwhile, hear that the case needs someone else; the timeline says so
    for person in (people["office2"], president):
        note = Notification.objects.get(user=person, case=case)
        assert "王分管已回避" in note.text and "须另行安排" in note.text
    assert not Notification.objects.filter(user=people["office"], case=case).exists()
    timeline = _timeline(office, case)
    assert "信访办决定回避" in timeline and "信访人系该领导的近亲属。" in timeline and "须另行安排" in timeline

    # sent back by the 主要领导, the case cannot go to the recused leader again
    services.case_send_back_proposal(case=case, actor=president, reason="呈报领导已回避，请重新拟办。")
    form = office.get(reverse("cases:action", args=[case.pk, "propose"])).content.decode()
    assert "王分管（已回避）" in form
    page = office.post(
        reverse("cases:action", args=[case.pk, "propose"]),
        {"main_unit": case.main_unit_id, "approving_leader": leader.pk, "proposal": "拟请教务处调查处理。"},
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "已由信访办决定回避（与本件有利害关系），不能审批本件" in body
    assert "《信访工作条例》第二十八条第三款" in body
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED
    with pytest.raises(services.TransitionRefused, match="不能审批本件"):
        services.case_propose(
            case=Case.objects.get(pk=case.pk),
            actor=people["office"],
            main_unit=case.main_unit,
            co_units=[],
            approving_leader=leader,
            proposal="拟请教务处调查处理。",
        )
    # another leader may be chosen
    services.case_propose(
        case=Case.objects.get(pk=case.pk),
        actor=people["office"],
        main_unit=case.main_unit,
        co_units=[],
        approving_leader=people["leader2"],
        proposal="拟请教务处调查处理。",
    )


def test_a_recused_leader_approves_nothing_and_settles_no_reply_to_the_superior(people, make_case):
    case = make_case("proposed", unit="jwc")
    leader = people["leader"]
    services.case_recuse(case=case, user=leader, actor=people["office"], reason="与信访人有经济往来。")
    with pytest.raises(services.TransitionRefused, match="您已回避本件"):
        services.case_assign(case=case, actor=leader, instruction="同意。", due_date=DAY)
    with pytest.raises(services.TransitionRefused, match="您已回避本件"):
        services.case_send_back_proposal(case=case, actor=leader, reason="重新拟办。")
    with pytest.raises(services.TransitionRefused, match="不能审定复函"):
        services.superior_reply_settle(case=case, actor=leader, approve=True)
    assert Case.objects.get(pk=case.pk).state == State.PROPOSED


# --- stepped aside mid-case ------------------------------------------------------------------------


def test_the_units_handler_steps_aside_mid_case_and_gets_404_from_then_on(people, make_case, client_for):
    case = make_case("handling", unit="jwc")  # taken by the unit's receptionist
    receptionist = people["recep_jwc"]
    client = client_for(receptionist)
    assert client.get(reverse("cases:action", args=[case.pk, "reply"])).status_code == 200

    response = client.post(_recuse_url(case), {"reason": "调查中发现被反映人系本人亲属。"})
    assert response.status_code == 302 and response.url == WORKBENCH
    recusal = Recusal.objects.get(case=case, user=receptionist)
    assert recusal.kind == Recusal.Kind.STEPPED_ASIDE

    _hidden_everywhere(client, case, queues=("to_take", "handling"))
    with pytest.raises(services.TransitionRefused, match="您已回避本件"):
        services.case_reply(
            case=case,
            actor=receptionist,
            facts="事实",
            conclusion="结论",
            handling="处理",
            petitioner_opinion="认可",
            outcome="support",
        )
    timeline = _timeline(client_for(people["office"]), case)
    assert "回避：中途回避" in timeline
    assert "张接待" in timeline and "调查中发现被反映人系本人亲属。" in timeline
    # the unit head, who still sees the case, reads it too
    assert "调查中发现被反映人系本人亲属。" in _timeline(client_for(people["head_jwc"]), case)


def test_the_unit_head_who_must_settle_a_major_reply_steps_aside_and_the_office_is_told(people, make_case, client_for):
    case = make_case("unit_review", unit="jwc", gravity=Gravity.MAJOR)
    head = people["head_jwc"]
    client_for(head).post(_recuse_url(case), {"reason": "答复涉及本人。"})
    assert Recusal.objects.get(case=case, user=head).kind == Recusal.Kind.STEPPED_ASIDE
    for person in (people["office"], people["office2"]):
        note = Notification.objects.get(user=person, case=case)
        assert "部门负责人审定答复须另行安排" in note.text
    assert "部门负责人审定答复" in _timeline(client_for(people["office"]), case)
    with pytest.raises(services.TransitionRefused, match="您已回避本件"):
        services.case_review(case=case, actor=head, approve=True, reason="同意")


# --- recorded, once, and for good -----------------------------------------------------------------


def test_a_second_click_does_not_make_a_second_row(people, make_case, client_for):
    case = make_case("assigned", unit="jwc")
    client = client_for(people["head_jwc"])
    first = client.post(_recuse_url(case), {"reason": "信访人系本人配偶。"})
    second = client.post(_recuse_url(case), {"reason": "信访人系本人配偶。"})
    assert first.status_code == second.status_code == 302 and second.url == WORKBENCH
    assert any("您已回避该信访件，无需再次申请" in m for m in _messages(second))
    office = client_for(people["office"])
    again = office.post(_order_url(case), {"user": people["head_jwc"].pk, "reason": "重复提交。"})
    assert again.status_code == 302
    assert any("此前已回避本件" in m for m in _messages(again))
    assert Recusal.objects.filter(case=case).count() == 1
    _recusal, created = services.case_recuse(
        case=case, user=people["head_jwc"], actor=people["office"], reason="再次决定。"
    )
    assert not created and Recusal.objects.filter(case=case).count() == 1
    assert case.history.filter(transition__startswith="回避").count() == 1


@requires_postgres
def test_a_recusal_cannot_be_updated_or_deleted_on_postgresql(people, make_case):
    case = make_case("assigned", unit="jwc")
    services.case_recuse(case=case, user=people["head_jwc"], actor=people["head_jwc"], reason="信访人系本人配偶。")
    for sql in ("UPDATE cases_recusal SET reason = 'rewritten'", "DELETE FROM cases_recusal"):
        with pytest.raises(DatabaseError, match="审计记录只能追加"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
    assert Recusal.objects.get(case=case).reason == "信访人系本人配偶。"


def test_the_admin_shows_recusals_read_only(people, make_case, client_for):
    case = make_case("assigned", unit="jwc")
    recusal, _ = services.case_recuse(case=case, user=people["head_jwc"], actor=people["office"], reason="亲属。")
    admin = client_for(people["admin"])
    assert case.number in admin.get("/admin/cases/recusal/").content.decode()
    assert admin.get("/admin/cases/recusal/add/").status_code == 403
    assert admin.post(f"/admin/cases/recusal/{recusal.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Recusal.objects.filter(pk=recusal.pk).exists()


# --- bad input, and who may ------------------------------------------------------------------------


def test_no_reason_keeps_what_was_typed_and_says_so_in_chinese(people, make_case, client_for):
    case = make_case("proposed", unit="jwc")
    leader = people["leader"]
    office = client_for(people["office"])
    page = office.post(_order_url(case), {"user": leader.pk, "reason": "  "})
    assert page.status_code == 200
    body = page.content.decode()
    assert "请填写回避理由。" in body
    assert f'<option value="{leader.pk}" selected>{staff_label(leader)}</option>' in body
    page = office.post(_order_url(case), {"reason": "信访人系其亲属。"})
    body = page.content.decode()
    assert "请选定须回避的工作人员。" in body and "信访人系其亲属。" in body

    own = client_for(leader).post(_recuse_url(case), {"reason": ""})
    assert own.status_code == 200 and "请填写回避理由。" in own.content.decode()
    assert not Recusal.objects.exists()
    assert client_for(leader).get(case.get_absolute_url()).status_code == 200


def test_only_the_office_orders_a_recusal_and_the_administrator_has_none_to_declare(people, make_case, client_for):
    case = make_case("assigned", unit="jwc")
    head = client_for(people["head_jwc"])
    assert head.get(_order_url(case)).status_code == 403
    assert head.post(_order_url(case), {"user": people["recep_jwc"].pk, "reason": "亲属。"}).status_code == 403
    assert client_for(people["admin"]).get(_recuse_url(case)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.case_recuse(case=case, user=people["recep_jwc"], actor=people["head_jwc"], reason="亲属。")
    assert not Recusal.objects.exists()
    # a case out of the person's scope answers 404, as every case page does
    assert client_for(people["recep_jsj"]).get(_recuse_url(case)).status_code == 404
