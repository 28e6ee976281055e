"""Documents (文书) as PDF, rendered for real by WeasyPrint and read back with poppler:
each kind carries the case's facts in Chinese, with its fonts embedded; numbers run per
kind and year; a reprint is the stored bytes; a kind that does not fit the case is
refused in Chinese; out of scope is 404; the management command writes a PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import subprocess
import threading
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases import services as case_services
from cases.models import CaseAccessLog, Kind, Outcome, Source
from deadlines import services as deadline_services
from documents import services as documents
from documents.models import Document, DocumentNumberSequence
from documents.services import DocumentRefused, document_issue
from supervision import services as supervision_services
from supervision.models import Form, Trigger
from tests.conftest import requires_postgres


@pytest.fixture
def year() -> int:
    """The year a document is numbered in: the year it is issued, today's (read when the test
    runs, so under XF_TODAY too)."""
    return timezone.localdate().year


# --- reading PDFs back -----------------------------------------------------------------


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The text as `pdftotext -layout` reads it, with all white space removed: CJK text has
    none of its own, and a line that wraps must still match."""
    path = tmp_path / f"{hashlib.sha256(content).hexdigest()[:12]}.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=30)
    return re.sub(r"\s+", "", out.stdout.decode())


def pdf_fonts(content: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    """(name, emb) for each font `pdffonts` lists."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, timeout=30).stdout.decode()
    rows = []
    for line in out.splitlines()[2:]:
        # name, type (may contain spaces), encoding, emb, sub, uni, object, generation
        parts = line.split()
        rows.append((parts[0], parts[-5]))
    return rows


def assert_fonts_embedded(content: bytes, tmp_path: Path) -> None:
    fonts = pdf_fonts(content, tmp_path)
    assert fonts, "no fonts in the PDF"
    assert all(emb == "yes" for _, emb in fonts), fonts
    assert any("CJK" in name for name, _ in fonts), fonts


def stored(document: Document) -> bytes:
    with document.file.open("rb") as f:
        return f.read()


def has(text: str, *needles: str) -> None:
    for needle in needles:
        assert re.sub(r"\s+", "", needle) in text, needle


def ymd(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# --- each kind carries the case's facts -----------------------------------------------------------


def test_the_registration_form_has_the_registration_facts(people, make_case, tmp_path, year):
    case = make_case(
        "proposed",
        petitioner={"name": "王小明", "phone": "13812345678", "id_number": "430102200001011234"},
        summary="反映学生宿舍热水供应时间过短",
        content="信访人称宿舍每天只在晚上供应热水一小时。",
    )
    document = document_issue(case=case, kind="registration", actor=people["clerk"])
    content = stored(document)
    assert content.startswith(b"%PDF-")
    assert (document.size, document.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    text = pdf_text(content, tmp_path)
    has(text, "信访登记表", f"〔{year}〕信登第0001号", case.number, "王小明", "13812345678")
    has(text, "反映学生宿舍热水供应时间过短", "信访人称宿舍每天只在晚上供应热水一小时。")
    has(text, "来信", "投诉", "拟办意见", case.proposal, "教务处", "登记人", "周登记", ymd(case.received_on))
    assert "430102200001011234" not in text and "4301************34" in text  # masked as on the case page
    assert_fonts_embedded(content, tmp_path)
    note = case.history.order_by("-history_id").first()
    assert (note.transition, note.history_user) == ("制作文书", people["clerk"])
    assert note.history_change_reason == f"信访登记表 {document.number}"


def test_the_acceptance_notice(people, make_case, tmp_path, year):
    case = make_case("accepted", petitioner={"name": "李华"})
    document = document_issue(case=case, kind="acceptance", actor=people["office"])
    text = pdf_text(stored(document), tmp_path)
    completion = case.clocks.get(rule__slot="completion")
    has(text, "某某学院", "受理告知书", f"〔{year}〕信受第0001号", "李华：", case.summary, case.number)
    has(text, "决定受理", f"于{ymd(completion.due_date)}前办结", "特此告知。", "（盖章）", ymd(timezone.localdate()))
    assert_fonts_embedded(stored(document), tmp_path)


def test_the_rejection_notice_gives_the_reason(people, make_case, tmp_path, year):
    """The 3-day clock stops when the notice is delivered (test_delivery), not when it is made."""
    case = make_case("not_accepted", petitioner={"name": "赵敏"})
    document = document_issue(case=case, kind="rejection", actor=people["office"])
    text = pdf_text(stored(document), tmp_path)
    has(text, "不予受理告知书", f"〔{year}〕信不受第0001号", "赵敏：", case.summary, "决定不予受理")
    has(text, case.not_accepted_reason)
    assert_fonts_embedded(stored(document), tmp_path)


def test_the_extension_notice_gives_the_reason_and_the_new_date(people, make_case, tmp_path, year):
    case = make_case("handling", unit="jwc", petitioner={"name": "孙悦"})
    clock = case.clocks.get(rule__slot="completion")
    extension = deadline_services.extension_request(
        clock=clock, actor=people["recep_jwc"], days=15, reason="需赴实习单位调查取证"
    )
    extension = deadline_services.extension_propose(extension=extension, actor=people["office"], opinion="同意延期")
    extension = deadline_services.extension_decide(extension=extension, actor=people["leader"], approve=True)
    document = document_issue(case=case, kind="extension", actor=people["office"])
    assert document.extension == extension
    text = pdf_text(stored(document), tmp_path)
    has(text, "延期办理告知书", f"〔{year}〕信延第0001号", "孙悦：", case.summary, "需赴实习单位调查取证")
    has(text, "延长15日", f"延长后的办结期限为{ymd(extension.new_due_date)}", ymd(extension.old_due_date), "第三十四条")
    extension.refresh_from_db()
    assert extension.notice_sent_at is not None  # no longer "待发延期办理告知书"


def test_the_opinion_states_request_facts_opinion_outcome_and_the_right_to_review(
    people, make_case, tmp_path, settings, year
):
    settings.XINFANG_REVIEW_BODY = "湖南省教育厅"
    settings.XINFANG_ORGANISATION = "湖南信息职业技术学院"
    case = make_case("replied", unit="jwc", petitioner={"name": "周杰"}, content="请求学校公开补考安排。")
    assert case.outcome
    document = document_issue(case=case, kind="opinion", actor=people["office"])
    content = stored(document)
    text = pdf_text(content, tmp_path)
    has(text, "湖南信息职业技术学院", "信访处理意见书", f"〔{year}〕信处第0001号", "周杰：", case.number)
    has(text, "一、信访请求", case.summary, "请求学校公开补考安排。")
    has(text, "二、事实和理由", case.report_facts, case.report_conclusion)
    has(text, "三、处理意见及依据", case.report_handling, "第三十二条第一款")
    has(text, "四、处理结果", f"{case.get_outcome_display()}。", documents.OUTCOME_CLAUSES[case.outcome][1])
    has(
        text,
        "你如对本处理意见不服，可以自收到本意见书之日起30日内，向湖南省教育厅请求复查（《信访工作条例》第三十五条）。",
    )
    assert_fonts_embedded(content, tmp_path)


@pytest.mark.parametrize("outcome", [Outcome.EXPLAIN, Outcome.NOT_SUPPORT])
def test_the_opinion_names_each_outcome(people, make_case, tmp_path, outcome):
    case = make_case("replied")
    type(case).objects.filter(pk=case.pk).update(outcome=outcome)
    text = pdf_text(stored(document_issue(case=case, kind="opinion", actor=people["office"])), tmp_path)
    has(text, f"处理结果{outcome.label}。", documents.OUTCOME_CLAUSES[outcome][1])


def test_the_supervision_notice_from_a_notice(people, make_case, tmp_path, year):
    case = make_case("handling", unit="jwc", petitioner={"name": "吴刚"})
    due = timezone.localdate() + dt.timedelta(days=5)
    notice, _ = supervision_services.notice_raise(
        case=case,
        actor=people["office"],
        data=supervision_services.NoticeData(
            trigger=Trigger.objects.get(code="shirking"),
            reason="两次电话联系信访人未果后未再跟进",
            form=Form.LETTER,
            requirements="请于三日内约见信访人，当面核实情况。",
            suggestions="建议由部门负责人亲自接待。",
            feedback_due=due,
        ),
    )
    document = document_issue(case=case, kind="supervision", actor=people["office"])
    assert document.notice == notice
    text = pdf_text(stored(document), tmp_path)
    has(text, "督办通知书", f"〔{year}〕信督第0001号", "教务处：", case.number, "吴刚", case.summary)
    has(text, notice.trigger.name, "两次电话联系信访人未果后未再跟进", "函件督办", notice.number)
    has(text, "请于三日内约见信访人，当面核实情况。", "建议由部门负责人亲自接待。", f"请于{ymd(due)}前书面反馈")
    has(text, "信访工作领导小组办公室")


def test_the_supervision_notice_of_a_report_does_not_name_the_reporter(people, make_case, tmp_path):
    case = make_case("handling", unit="jwc", kind=Kind.REPORT, petitioner={"name": "钱举报"})
    supervision_services.notice_raise(
        case=case,
        actor=people["office"],
        data=supervision_services.NoticeData(trigger=Trigger.objects.get(code="shirking")),
    )
    text = pdf_text(stored(document_issue(case=case, kind="supervision", actor=people["office"])), tmp_path)
    has(text, case.number, case.summary)
    assert "钱举报" not in text  # 条例 第30条


REPLY_TEXT = "一、办理情况\n教务处已核实并更正该生成绩。\n二、信访人意见\n信访人表示满意。"


def settle_reply(case, people, text: str = REPLY_TEXT) -> None:
    """The 复函 drafted by the handling unit, checked by the office and settled by the 分管
    leader (《湖南信息职业技术学院信访工作实施方案》四、6（2））."""
    case_services.superior_reply_draft(case=case, actor=people["head_jwc"], text=text)
    case_services.superior_reply_check(case=case, actor=people["office"], approve=True)
    case_services.superior_reply_settle(case=case, actor=people["leader"], approve=True)


def test_the_reply_to_the_superior_prints_the_settled_text(people, make_case, tmp_path, year):
    case = make_case(
        "replied",
        unit="jwc",
        petitioner={"name": "郑好"},
        source=Source.HOTLINE_12345,
        superior_reference="GD202603010042",
        superior_deadline=timezone.localdate() + dt.timedelta(days=20),
    )
    case_services.superior_reply_draft(case=case, actor=people["head_jwc"], text="未审定的草稿。")
    with pytest.raises(DocumentRefused, match="复函尚未经领导审定"):
        document_issue(case=case, kind="reply-to-superior", actor=people["office"])
    case_services.superior_reply_check(case=case, actor=people["office"], approve=True)
    with pytest.raises(DocumentRefused, match="复函尚未经领导审定"):
        document_issue(case=case, kind="reply-to-superior", actor=people["office"])
    case.superior_replies.all().delete()
    settle_reply(case, people)
    document = document_issue(case=case, kind="reply-to-superior", actor=people["office"])
    text = pdf_text(stored(document), tmp_path)
    has(text, "复函", f"〔{year}〕信复第0001号", "12345政务服务热线：", "GD202603010042", "郑好", case.summary)
    has(text, "一、办理情况", "教务处已核实并更正该生成绩。", "信访人表示满意。", "特此函复。", "（盖章）")
    assert "未审定的草稿" not in text


# --- numbers, storage and reprints ------------------------------------------------------------------


def test_numbers_run_per_kind_and_year(people, make_case, year):
    first, second = make_case("accepted"), make_case("accepted")
    numbers = [
        document_issue(case=first, kind="registration", actor=people["clerk"]).number,
        document_issue(case=second, kind="registration", actor=people["office"]).number,
        document_issue(case=first, kind="acceptance", actor=people["office"]).number,
        document_issue(case=second, kind="registration", actor=people["office"]).number,
    ]
    assert numbers == [
        f"〔{year}〕信登第0001号",
        f"〔{year}〕信登第0002号",
        f"〔{year}〕信受第0001号",
        f"〔{year}〕信登第0003号",
    ]
    assert Document.objects.values("number").distinct().count() == 4
    assert list(Document.objects.filter(kind="registration").values_list("sequence", flat=True)) == [1, 2, 3]
    # another year has a sequence of its own
    assert documents.next_document_number(kind="registration", year=year - 1) == (1, f"〔{year - 1}〕信登第0001号")
    assert documents.next_document_number(kind="registration", year=year) == (4, f"〔{year}〕信登第0004号")


def test_a_reprint_is_the_stored_bytes_and_makes_no_new_document(people, make_case):
    case = make_case("accepted", kind=Kind.REPORT)
    office = client(people["office"])
    draft = office.post(f"/cases/{case.pk}/documents/new/acceptance/")
    document = Document.objects.get(case=case)
    assert draft["Location"] == f"/cases/{case.pk}/documents/{document.pk}/draft/"
    assert office.post(draft["Location"], {"action": "issue", "text": document.text}).status_code == 302
    document.refresh_from_db()
    # the case changes after the letter went out: a reprint is still the letter as sent
    type(case).objects.filter(pk=case.pk).update(summary="改动后的问题摘要")
    url = f"/cases/{case.pk}/documents/{document.pk}/"
    first, again = office.get(url), office.get(url)
    assert first.status_code == again.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "%E5%8F%97%E7%90%86%E5%91%8A%E7%9F%A5%E4%B9%A6" in first["Content-Disposition"]  # 受理告知书
    assert first.content == again.content == stored(document)
    assert hashlib.sha256(first.content).hexdigest() == document.sha256
    assert Document.objects.filter(case=case).count() == 1
    # issuing and each download of a 举报 are logged (seed 004 第九条)
    actions = list(CaseAccessLog.objects.filter(case=case).values_list("action", flat=True))
    assert sorted(actions) == ["下载文书", "下载文书", "制作文书", "起草文书"]


def test_a_changed_file_is_not_served(people, make_case):
    case = make_case("registered")
    document = document_issue(case=case, kind="registration", actor=people["clerk"])
    Path(document.file.path).write_bytes(stored(document) + b"%tampered")
    with pytest.raises(documents.DocumentDamaged, match="校验值不符"):
        documents.document_content(document)
    response = client(people["office"]).get(f"/cases/{case.pk}/documents/{document.pk}/", follow=True)
    assert "校验值不符" in response.content.decode()


# --- refusals, permissions, scope -----------------------------------------------------------------


def test_kinds_that_do_not_fit_the_state_are_refused_in_chinese(people, make_case, year):
    registered = make_case("registered")
    expected = {
        "acceptance": "尚未受理",
        "rejection": "只有决定不予受理的信访件才能制作不予受理告知书",
        "extension": "没有已批准的延期",
        "opinion": "尚未答复",
        "supervision": "没有未办结的督办单",
        "reply-to-superior": "不是上级交办件",
    }
    for kind, message in expected.items():
        with pytest.raises(DocumentRefused, match=message):
            document_issue(case=registered, kind=kind, actor=people["office"])
    handling = make_case("handling", source=Source.CITY_EDUCATION, superior_reference="JY-7")
    with pytest.raises(DocumentRefused, match="当前状态“承办”"):
        document_issue(case=handling, kind="opinion", actor=people["office"])
    with pytest.raises(DocumentRefused, match="该交办件尚未办理答复"):
        document_issue(case=handling, kind="reply-to-superior", actor=people["office"])
    with pytest.raises(DocumentRefused, match="只有决定不予受理"):
        document_issue(case=handling, kind="rejection", actor=people["office"])
    # nothing was numbered or stored
    assert not Document.objects.exists()
    assert documents.next_document_number(kind="opinion", year=year)[0] == 1


def test_who_may_issue(people, make_case):
    case = make_case("accepted")
    with pytest.raises(PermissionDenied, match="只有信访办可以制作受理告知书"):
        document_issue(case=case, kind="acceptance", actor=people["clerk"])
    with pytest.raises(PermissionDenied):
        document_issue(case=case, kind="registration", actor=people["leader"])
    handling = make_case("handling", unit="jwc")
    assert client(people["head_jwc"]).post(f"/cases/{handling.pk}/documents/new/opinion/").status_code == 403
    assert client(people["clerk"]).post(f"/cases/{case.pk}/documents/new/acceptance/").status_code == 403
    clerk = client(people["clerk"])
    draft_page = clerk.post(f"/cases/{case.pk}/documents/new/registration/")["Location"]
    response = clerk.post(draft_page, {"action": "issue"}, follow=True)
    assert "已签发信访登记表" in response.content.decode()


def test_out_of_scope_is_404_for_issue_and_download(people, make_case):
    case = make_case("handling", unit="jwc")
    document = document_issue(case=case, kind="registration", actor=people["office"])
    outsider = client(people["head_jsj"])
    assert outsider.post(f"/cases/{case.pk}/documents/new/registration/").status_code == 404
    assert outsider.get(f"/cases/{case.pk}/documents/{document.pk}/").status_code == 404
    # a document of another case through this case's URL is not found either
    other = make_case("registered")
    assert client(people["office"]).get(f"/cases/{other.pk}/documents/{document.pk}/").status_code == 404
    assert client(people["head_jwc"]).get(f"/cases/{case.pk}/documents/{document.pk}/").status_code == 200
    assert Document.objects.count() == 1


def test_the_view_refuses_with_a_message_and_issues_for_the_chosen_notice(people, make_case):
    case = make_case("handling", unit="jwc")
    office = client(people["office"])
    page = office.post(f"/cases/{case.pk}/documents/new/opinion/", follow=True).content.decode()
    assert "不能制作信访处理意见书" in page
    assert office.post(f"/cases/{case.pk}/documents/new/nonsense/").status_code == 404
    first, _ = supervision_services.notice_raise(
        case=case,
        actor=people["office"],
        data=supervision_services.NoticeData(trigger=Trigger.objects.get(code="shirking")),
    )
    supervision_services.notice_raise(
        case=case,
        actor=people["office"],
        data=supervision_services.NoticeData(trigger=Trigger.objects.get(code="no_reply")),
    )
    assert office.post(f"/cases/{case.pk}/documents/new/supervision/", {"notice": first.pk}).status_code == 302
    assert Document.objects.get(case=case, kind="supervision").notice == first
    elsewhere = make_case("registered")
    url = f"/cases/{elsewhere.pk}/documents/new/supervision/?notice={first.pk}"
    assert office.post(url).status_code == 404


def test_the_case_page_lists_documents_and_offers_the_kinds_that_fit(people, make_case):
    case = make_case("replied", unit="jwc", source=Source.SUNSHINE)
    document = document_issue(case=case, kind="registration", actor=people["office"])
    page = client(people["office"]).get(case.get_absolute_url()).content.decode()
    assert document.number in page and f"/cases/{case.pk}/documents/{document.pk}/" in page
    offered = set(re.findall(r'data-issue="([a-z-]+)"', page))
    assert offered == set(documents.issuable_kinds(case, people["office"]))
    assert offered == {"registration", "acceptance", "opinion"}  # the 复函 waits for the leader's 审定
    settle_reply(case, people)
    page = client(people["office"]).get(case.get_absolute_url()).content.decode()
    assert set(re.findall(r'data-issue="([a-z-]+)"', page)) == {
        "registration",
        "acceptance",
        "opinion",
        "reply-to-superior",
    }
    clerk_page = client(people["clerk"]).get(case.get_absolute_url()).content.decode()
    assert set(re.findall(r'data-issue="([a-z-]+)"', clerk_page)) == {"registration"}
    unit_page = client(people["head_jwc"]).get(case.get_absolute_url()).content.decode()
    assert document.number in unit_page and "data-issue" not in unit_page


# --- the management command -----------------------------------------------------------------


def test_the_command_issues_and_reprints(people, make_case, tmp_path):
    case = make_case("accepted")
    out = tmp_path / "acceptance.pdf"
    call_command("render_document", case.number, "acceptance", out=str(out), stdout=io.StringIO())
    assert out.read_bytes().startswith(b"%PDF-")
    document = Document.objects.get(case=case)
    assert document.created_by is None and out.read_bytes() == stored(document)
    again = tmp_path / "again.pdf"
    call_command("render_document", case.number, "acceptance", "--reprint", out=str(again), stdout=io.StringIO())
    assert again.read_bytes() == out.read_bytes() and Document.objects.count() == 1
    call_command("render_document", case.number, "registration", "--as", "clerk", out=str(tmp_path / "r.pdf"))
    assert Document.objects.get(kind="registration").created_by == people["clerk"]
    with pytest.raises(CommandError, match="尚未答复"):
        call_command("render_document", case.number, "opinion", out=str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="无权查看"):
        call_command("render_document", case.number, "registration", "--as", "head_jsj", out=str(tmp_path / "y.pdf"))
    with pytest.raises(CommandError, match="没有编号为"):
        call_command("render_document", "1999-9999", "registration", out=str(tmp_path / "z.pdf"))
    assert not (tmp_path / "x.pdf").exists()


# --- numbers under contention ---------------------------------------------------------------------


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_offices_issuing_at_once_get_distinct_consecutive_numbers(people, make_case, year):
    """The kind's first number of the year, taken by four connections at once: the row is
    created once and each gets its own number."""
    targets = [make_case("registered") for _ in range(4)]
    start = threading.Barrier(len(targets), timeout=20)
    results: list = [None] * len(targets)

    def issue(i: int) -> None:
        try:
            start.wait()
            results[i] = document_issue(case=targets[i], kind="registration", actor=people["office"]).number
        except Exception as e:  # reported below
            results[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(len(targets))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == [f"〔{year}〕信登第{n:04d}号" for n in range(1, 5)], results
    assert DocumentNumberSequence.objects.get(kind="registration", year=year).last == 4
