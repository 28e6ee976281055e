"""The 举报 leak suite (issue 13, tests): a 举报 against 计算机工程学院 and its head reaches
none of the people it accuses, on any page, count, export or direct URL (《信访工作条例》
第三十条; 《河南省教育系统信访工作责任制实施细则》第九条; 《兰州大学信访工作责任制实施细则》
第十三条(八)).

The world: four 举报 that name the college (its head 刘院长 by his account) and a member of
the petition office (孙督查); one walked to the end with its scan, documents, an
accountability case against the college, a policy fix and stale notifications, one being
handled with a 督办单 and an accountability case against the head, two waiting; a
reception day and a 包案 list that carry two of them; and the college's own complaint,
with its own accountability case and policy fix, so its people's pages are not empty.

Who looks: the head, a deputy head and the receptionist of the accused college, and the
office member named as accused: none of them finds a number, a title or a reporter's
name anywhere, and every direct URL is a 404. The office and a namesake of the head in
the discipline unit (刘院长 too, whose role sees every 举报) do find them, so the suite
cannot pass by looking at empty pages.
"""

from __future__ import annotations

import html
import io
import re
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from accountability import services as accountability
from accountability.models import Ground
from cases import services
from cases.demo import walk
from cases.models import AccusedPerson, Case, Channel, Kind, State
from cases.selectors import QUEUES
from dashboard import figures, periods, report, topics
from dashboard.models import ReceptionDay
from dashboard.policy_fixes import policy_fix_record, policy_fixes_for
from dashboard.reception import reception_day_save
from dashboard.rollups import refresh_rollups
from deadlines.clocks import Clock
from documents import ledger as ledgers
from documents.demo import deliver_answer, deliver_first_notice
from documents.models import LedgerExport
from notifications.selectors import notifications_for, unread_count
from notifications.services import notify
from people.models import Unit, User
from supervision import services as supervision
from supervision.models import Trigger
from tests.conftest import logged_in_client

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = date(2026, 11, 10)
YEAR = TODAY.year

# (reporter, phone, summary): every word of it is what the accused must never read
REPORTS = [
    ("欧阳明远", "13957310471", "举报计算机工程学院把学生实验耗材费转入小金库"),
    ("上官清扬", "13957310582", "计算机工程学院向学生违规收取实验耗材费并设小金库"),
    ("司马若溪", "13957310693", "反映学院实验耗材费收取后流入小金库无人监管"),
    ("诸葛云舒", "13957310704", "实验耗材费被计算机工程学院截留进小金库"),
]
# a word only the 举报 use: a hot keyword for the office, nothing for the accused
KEYWORD = "小金库"
FIX_TITLE = "修订学生实验耗材费收取与公示办法"
OWN_FIX_TITLE = "完善实训室设备报修流程"
OWN_SUMMARY = "反映实训室电脑长期故障无人维修"


@pytest.fixture(autouse=True)
def _frozen(today_is):
    today_is(TODAY)


@dataclass
class World:
    people: dict[str, User]
    reports: list[Case]
    own: Case  # the college's own complaint, which its people see
    notice: object  # the 督办单 on reports[1]
    from_report: object  # accountability case against the college, from reports[0]
    from_notice: object  # accountability case against the head, from the notice
    from_own: object  # accountability case against the college, from its own complaint

    def user(self, key: str) -> User:
        return self.people[key]


@pytest.fixture
def world(people, units) -> World:
    office = people["office"]
    jsj = units["jsj"]
    head = people["head_jsj"]
    extra = {
        # a deputy head of the accused college: a unit head by role, not the unit's head
        "deputy_jsj": User.objects.create_user(
            "deputy_jsj", full_name="钱副院长", role=User.Role.UNIT_HEAD, unit=jsj, password="pw"
        ),
        # an office member named in the 举报: otherwise they would see every case
        "accused_office": User.objects.create_user(
            "accused_office", full_name="孙督查", role=User.Role.OFFICE, unit=units["xgc"], password="pw"
        ),
        # the head's namesake in the discipline unit, who sees every 举报 by role
        "namesake": User.objects.create_user(
            "namesake", full_name=head.full_name, role=User.Role.DISCIPLINE, unit=units["jjjc"], password="pw"
        ),
    }
    people = {**people, **extra}

    # registered first: the 举报 then take 2026-0002 on (the forms' examples say 2026-0001)
    own, _ = services.case_register(
        actor=people["clerk"],
        petitioner=services.PetitionerData(name="周同学", phone="13900000009"),
        data=services.CaseData(
            channel=Channel.LETTER, kind=Kind.COMPLAINT, received_on=TODAY - timedelta(days=1), summary=OWN_SUMMARY
        ),
    )
    walk(own, State.HANDLING, people, unit_code="jsj")

    reports = []
    for n, (name, phone, summary) in enumerate(REPORTS):
        case, _ = services.case_register(
            actor=people["clerk"],
            petitioner=services.PetitionerData(name=name, phone=phone),
            data=services.CaseData(
                channel=Channel.VISIT if n == 2 else Channel.MAILBOX,
                kind=Kind.REPORT,
                received_on=TODAY - timedelta(days=2 + n),
                summary=summary,
                content=f"{name}实名举报：{summary}。",
                accused_units=[jsj],
                # picked from the staff directory: the head by his account, not by his
                # name (his namesake is not accused), and the office member
                accused_people=[head, extra["accused_office"]],
                is_leader_case=n == 3,
                leader_in_charge=people["president"] if n == 3 else None,
            ),
            files=[SimpleUploadedFile("举报信.pdf", PDF)],
        )
        assert set(case.accused_people.values_list("user", flat=True)) == {head.pk, extra["accused_office"].pk}
        reports.append(case)

    walk(reports[0], State.FOLLOWED_UP, people, unit_code="jjjc", before_archive=lambda c: deliver_answer(c, office))
    walk(reports[1], State.HANDLING, people, unit_code="jjjc")
    deliver_first_notice(reports[1], office)
    for case in reports[2:]:
        walk(case, State.ACCEPTED, people)
    reports = [Case.objects.get(pk=c.pk) for c in reports]

    notice, _ = supervision.notice_raise(
        case=reports[1], actor=office, data=supervision.NoticeData(trigger=Trigger.objects.get(code="shirking"))
    )
    grounds = list(Ground.objects.filter(code="shirking"))
    facts = "存在推诿、敷衍、拖延的情形。"
    from_report = accountability.case_open(
        actor=office,
        data=accountability.CaseData(facts=facts, grounds=grounds, subject_unit=jsj, case=reports[0]),
    )
    from_notice = accountability.case_open(
        actor=office,
        data=accountability.CaseData(facts=facts, grounds=grounds, subject_user=head, notice=notice),
    )
    (measure,) = accountability.case_propose(acase=from_notice, actor=people["office2"], kinds=["criticize"])
    accountability.measure_decide(measure=measure, actor=office, approve=True, note="同意")
    from_own = accountability.case_open(
        actor=office, data=accountability.CaseData(facts=facts, grounds=grounds, subject_unit=jsj, case=own)
    )

    common = {"description": "规范收费与公示。", "unit": jsj, "adopted_on": TODAY, "reference": ""}
    policy_fix_record(actor=office, title=FIX_TITLE, cases=[reports[0], own], **common)
    policy_fix_record(actor=office, title=OWN_FIX_TITLE, cases=[own], **common)

    day = ReceptionDay(date=reports[2].received_on, leader=people["president"], place="行政楼101", time_slot="上午")
    reception_day_save(actor=office, day=day, cases=[reports[3]])

    # Told before they were named (or by a path that forgot to ask): the list and the
    # badge must leave these out now (cases.selectors.notifications_in_scope).
    # The office and the namesake may read theirs.
    told = [head, people["recep_jsj"], extra["deputy_jsj"], extra["accused_office"], office, extra["namesake"]]
    for case in reports[:2]:
        notify(users=told, case=case, text=f"收到督办单：信访件 {case.number}", link=case.get_absolute_url())

    refresh_rollups()
    return World(people, reports, own, notice, from_report, from_notice, from_own)


# --- reading what a response shows -------------------------------------------------------


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v is not None
    )


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def zip_text(content: bytes) -> str:
    """The names in the archive and the text of every ledger in it."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        for name in zf.namelist():
            parts.append(name)
            if name.endswith(".xlsx"):
                parts.append(xlsx_text(zf.read(name)))
    return "\n".join(parts)


def text_of(response) -> str:
    content = body(response)
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        return pdf_text(content)
    if "spreadsheetml" in kind:
        return xlsx_text(content)
    if "zip" in kind:
        return zip_text(content)
    return html.unescape(content.decode())


@dataclass(frozen=True)
class Secret:
    label: str
    pattern: re.Pattern


def secrets_of(w: World) -> list[Secret]:
    out = []
    for case, (name, phone, summary) in zip(w.reports, REPORTS, strict=True):
        # 2026-0001 is not 2026-00012 (a 督办单 or 责任追究 number)
        out.append(Secret(f"编号 {case.number}", re.compile(rf"(?<!\d){re.escape(case.number)}(?!\d)")))
        # lists cut a title to 30 characters or fewer: its head is enough
        out.append(Secret(f"标题 {summary}", re.compile(re.escape(summary[:12]))))
        out.append(Secret(f"举报人 {name}", re.compile(re.escape(name))))
        masked = re.escape(phone[:3]) + r"\*+" + re.escape(phone[-4:])  # as a list shows it
        out.append(Secret(f"举报人电话 {phone}", re.compile(rf"{re.escape(phone)}|{masked}")))
    out.append(Secret(f"关键词 {KEYWORD}", re.compile(KEYWORD)))
    out.append(Secret(f"制度完善 {FIX_TITLE}", re.compile(re.escape(FIX_TITLE))))
    return out


def found(text: str, secrets: list[Secret]) -> list[str]:
    return [s.label for s in secrets if s.pattern.search(text)]


# --- the surfaces ---------------------------------------------------------------------------


def page_urls(w: World) -> list[str]:
    period = f"date_from={TODAY - timedelta(days=29):%Y-%m-%d}&date_to={TODAY:%Y-%m-%d}"
    return [
        "/",
        "/cases/",
        "/cases/?kind=report",
        f"/cases/?{period}",
        *(f"/queues/{key}/" for key in QUEUES),
        "/unit/",
        # the college's own complaint, which shares a policy fix with a 举报
        f"/cases/{w.own.pk}/",
        "/deadlines/",
        "/supervision/",
        "/supervision/inbox/",
        "/supervision/?status=",
        "/notifications/",
        "/notifications/?unread=1",
        "/dashboard/",
        f"/dashboard/?period=year&year={YEAR}",
        "/dashboard/?period=month",
        f"/dashboard/topics/?{period}",
        "/dashboard/topics/",
        "/dashboard/topics/fixes/",
        f"/dashboard/report/?year={YEAR}",
        f"/dashboard/report/xlsx/?year={YEAR}",
        f"/dashboard/report/pdf/?year={YEAR}",
        "/dashboard/reception/",
        "/accountability/",
        *(f"/accountability/{a.pk}/" for a in (w.from_report, w.from_notice, w.from_own)),
        f"/accountability/people/{w.user('head_jsj').pk}/record/",
        "/ledger/",
        "/admin/",
        "/admin/cases/case/",
    ]


# 关键词 the user types: the page repeats the words, so only its rows may not name the 举报
def searches(w: World) -> list[str]:
    return [KEYWORD, *(name for name, _phone, _summary in REPORTS), *(c.number for c in w.reports)]


def drill_downs(text: str) -> list[str]:
    """Where the dashboard's and the topics page's figures lead: the case list, filtered."""
    return sorted({html.unescape(h) for h in re.findall(r'href="(/cases/\?[^"]+)"', text)})


def direct_urls(w: World) -> list[str]:
    urls = []
    for case in w.reports:
        base = f"/cases/{case.pk}"
        urls += [f"{base}/", f"{base}/do/accept/", f"{base}/do/propose/", f"{base}/superior/"]
        urls += [f"{base}/notices/new/", f"{base}/dissatisfaction/", f"{base}/reviews/review/new/"]
        urls += [f"{base}/attachments/{a.uuid}/" for a in case.attachments.all()]
        for doc in case.documents.all():
            urls += [f"{base}/documents/{doc.pk}/{tail}" for tail in ("", "draft/", "preview/", "delivery/")]
        urls += [f"{base}/clocks/{clock.pk}/" for clock in Clock.objects.filter(case=case)[:3]]
        urls += [f"/accountability/new/?case={case.pk}"]
    urls += [f"/supervision/{w.notice.pk}/", f"/accountability/new/?notice={w.notice.pk}"]
    return urls


def post_surfaces(client: Client) -> list[tuple[str, object]]:
    """The similar-case panel of the registration form and the ledger export."""
    name, phone, summary = REPORTS[1]
    return [
        ("POST /cases/similar/", client.post("/cases/similar/", {"name": name, "phone": phone, "summary": summary})),
        ("POST /cases/similar/ 摘要", client.post("/cases/similar/", {"summary": REPORTS[2][2]})),
        ("POST /ledger/", client.post("/ledger/", {"year": YEAR, "extra": ["number", "kind", "state"]})),
    ]


def year_end_archive(user: User) -> str | None:
    """The year-end zip, as the worker writes it (on_commit does not run in a test)."""
    client = logged_in_client(user)
    response = client.post("/ledger/archive/", {"year": YEAR})
    if response.status_code != 302:
        return None
    job = LedgerExport.objects.filter(user=user).latest("pk")
    ledgers.ledger_export_run(job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as fh:
        return zip_text(fh.read())


ACCUSED = ["head_jsj", "recep_jsj", "deputy_jsj", "accused_office"]


@pytest.mark.parametrize("who", ACCUSED)
def test_no_page_export_or_count_names_the_report_to_whom_it_accuses(world, who):
    w, user = world, world.user(who)
    client = logged_in_client(user)
    secrets = secrets_of(w)
    leaks: list[str] = []

    def check(label: str, text: str, typed: str = "") -> None:
        # what the user typed comes back in the search box: only the rest may not name it
        for label_found in found(text.replace(typed, "") if typed else text, secrets):
            leaks.append(f"{label}: {label_found}")

    seen_pages: dict[str, str] = {}
    for url in page_urls(w):
        response = client.get(url)
        assert response.status_code < 500, url
        seen_pages[url] = text_of(response)
        check(f"GET {url}", seen_pages[url])
    for url in {d for page in seen_pages.values() for d in drill_downs(page)}:
        check(f"看板穿透 {url}", text_of(client.get(url)))
    for term in searches(w):
        response = client.get("/cases/", {"q": term})
        text = text_of(response)
        check(f"搜索 {term}", text, typed=term)
        assert "共 0 件" in text, f"搜索 {term} 找到了信访件"
    for label, response in post_surfaces(client):
        assert response.status_code < 500, label
        check(label, text_of(response))
    archive = year_end_archive(user)
    if archive is not None:
        check("年度归档", archive)

    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("who", ACCUSED)
def test_every_direct_url_of_the_report_is_404_to_whom_it_accuses(world, who):
    client = logged_in_client(world.user(who))
    wrong = {}
    for url in direct_urls(world):
        status = client.get(url).status_code
        if status != 404:
            wrong[url] = status
    # the same answer as for a case that does not exist: nothing says it is there
    assert not wrong, wrong


@pytest.mark.parametrize("who", ACCUSED)
def test_notifications_about_the_report_leave_the_list_and_the_badge(world, who):
    user = world.user(who)
    about = [c.pk for c in world.reports]
    assert not notifications_for(user=user).filter(case_id__in=about).exists()
    # the rows are there, unread: it is the scope that keeps them out, of the count too
    assert user.notifications.filter(case_id__in=about, read_at=None).count() == 2
    assert unread_count(user=user) == user.notifications.filter(read_at=None).count() - 2
    page = text_of(logged_in_client(user).get("/notifications/"))
    badge = re.search(r'data-testid="notifications-link">通知(?: <span class="badge[^"]*">(\d+)</span>)?', page)
    assert badge is not None
    assert int(badge.group(1) or 0) == unread_count(user=user)


def test_the_subject_reads_their_accountability_cases_but_not_where_they_came_from(world):
    """The head may read and appeal what is decided about him (《兰州大学信访工作责任制实施
    细则》第二十条), but is not told the 举报's number, title or reporter (《信访工作条例》第三十条)."""
    w = world
    secrets = secrets_of(w)
    for who in ("head_jsj", "deputy_jsj"):
        client = logged_in_client(w.user(who))
        listed = text_of(client.get("/accountability/"))
        assert w.from_report.number in listed
        for acase in (w.from_report, w.from_notice):
            if who == "deputy_jsj" and acase is w.from_notice:
                continue  # the head's own case is his, not the college's
            response = client.get(f"/accountability/{acase.pk}/")
            assert response.status_code == 200
            page = text_of(response)
            assert acase.number in page and "存在推诿、敷衍、拖延的情形。" in page
            assert found(page, secrets) == []
            assert "来源信访件" not in page and "来源督办单" not in page
            assert w.notice.number not in page
    # the college's own complaint is its own to open: named, and linked
    page = text_of(logged_in_client(w.user("head_jsj")).get(f"/accountability/{w.from_own.pk}/"))
    assert "来源信访件" in page and w.own.number in page
    record = text_of(
        logged_in_client(w.user("head_jsj")).get(f"/accountability/people/{w.user('head_jsj').pk}/record/")
    )
    assert w.from_notice.number in record and found(record, secrets) == []


def test_the_accused_office_member_does_not_get_the_accountability_cases_from_it(world):
    client = logged_in_client(world.user("accused_office"))
    listed = text_of(client.get("/accountability/"))
    assert world.from_own.number in listed
    for acase in (world.from_report, world.from_notice):
        assert acase.number not in listed
        assert client.get(f"/accountability/{acase.pk}/").status_code == 404


def test_the_figures_of_whom_it_accuses_leave_it_out(world):
    """The accused office member's whole-school figures are computed live without the four
    举报, while the office's come from the rollups, which count them."""
    w = world
    office, accused = w.user("office"), w.user("accused_office")
    period = periods.make_period("ytd")
    theirs = figures.dashboard(user=office, unit=None, period=period)
    mine = figures.dashboard(user=accused, unit=None, period=period)
    assert theirs["from_rollup"] and not mine["from_rollup"]
    t = {f.key: f.value for f in theirs["figures"]}
    m = {f.key: f.value for f in mine["figures"]}
    assert m["received"] == t["received"] - 4
    assert m["open_now"] == t["open_now"] - 3  # the first one is closed
    assert m["notices_open"] == t["notices_open"] - 1

    assert report.annual_report(user=accused, year=YEAR).total == report.annual_report(user=office, year=YEAR).total - 4
    hot = topics.Period.last_days(30)
    assert (
        topics.hot_topics(user=accused, period=hot).cases_now
        == topics.hot_topics(user=office, period=hot).cases_now - 4
    )
    assert [f.title for f in policy_fixes_for(user=accused)] == [OWN_FIX_TITLE]
    # the head sees the fix his college's own complaint raised, not the one a 举报 shared
    assert [f.title for f in policy_fixes_for(user=w.user("head_jsj"))] == [OWN_FIX_TITLE]
    assert {f.title for f in policy_fixes_for(user=office)} == {FIX_TITLE, OWN_FIX_TITLE}

    # opened by hand, from no petition: the whole-school reader still has it
    by_hand = accountability.case_open(
        actor=office,
        data=accountability.CaseData(
            facts="未按时报送信访统计。",
            grounds=list(Ground.objects.filter(code="shirking")),
            subject_unit=Unit.objects.get(code="hqc"),
        ),
    )
    accountability.case_propose(acase=by_hand, actor=w.user("office2"), kinds=["unit_check"])
    measures = {p.title: p for p in report.annual_report(user=accused, year=YEAR).parts}["追责建议采纳"]
    assert w.from_notice.number not in {row[0] for row in measures.rows}
    assert by_hand.number in {row[0] for row in measures.rows}
    measures = {p.title: p for p in report.annual_report(user=office, year=YEAR).parts}["追责建议采纳"]
    assert w.from_notice.number in {row[0] for row in measures.rows}


@pytest.mark.parametrize("who", ["office", "namesake"])
def test_the_office_and_the_heads_namesake_do_see_it(world, who):
    """Not hidden by mistake: the same pages name the 举报 to those whose role sees it,
    the head's namesake included (he is not the accused)."""
    w = world
    client = logged_in_client(w.user(who))
    listed = text_of(client.get("/cases/?kind=report"))
    for case, (name, _phone, _summary) in zip(w.reports, REPORTS, strict=True):
        assert case.number in listed
        assert client.get(f"/cases/{case.pk}/").status_code == 200
        found_by_name = text_of(client.get("/cases/", {"q": name}))
        assert case.number in found_by_name, name
    first = w.reports[0]
    attachment = first.attachments.get()
    assert client.get(f"/cases/{first.pk}/attachments/{attachment.uuid}/").status_code == 200
    document = first.documents.issued().first()
    assert client.get(f"/cases/{first.pk}/documents/{document.pk}/").status_code == 200
    told = text_of(client.get("/notifications/"))
    assert w.reports[0].number in told and w.reports[1].number in told
    if who == "namesake":
        return
    # the office: every surface the accused were checked on shows it here
    name, phone, summary = REPORTS[1]
    similar = text_of(client.post("/cases/similar/", {"name": name, "phone": phone, "summary": summary}))
    assert w.reports[1].number in similar
    hot = text_of(client.get("/dashboard/topics/"))
    assert f'data-keyword="{KEYWORD}"' in hot
    assert all(c.number in hot for c in w.reports[1:])  # the cluster of open 举报, its examples
    assert FIX_TITLE in text_of(client.get("/dashboard/topics/fixes/"))
    reception = text_of(client.get("/dashboard/reception/"))
    assert w.reports[2].number in reception and w.reports[3].number in reception
    detail = text_of(client.get(f"/accountability/{w.from_report.pk}/"))
    assert first.number in detail
    detail = text_of(client.get(f"/accountability/{w.from_notice.pk}/"))
    assert w.notice.number in detail and w.reports[1].number in detail
    ledger = text_of(client.post("/ledger/", {"year": YEAR, "extra": ["number"]}))
    assert all(name in ledger for name, _p, _s in REPORTS)
    archive = year_end_archive(w.user("office"))
    assert archive is not None and f"/{first.number}/" in archive
    figures_page = text_of(client.get("/dashboard/"))
    assert drill_downs(figures_page)
    assert text_of(client.get(f"/supervision/{w.notice.pk}/")).count(w.reports[1].number) >= 1


def test_admin_a_plain_administrator_reads_no_report_in_the_admin(world):
    """Issue 13 point 8: an administrator without the discipline role reads no 举报 in the
    admin: no title, no reporter (the numbers an administrator may still manage)."""
    w = world
    admin = w.user("admin")
    assert admin.role == User.Role.ADMIN and admin.is_staff
    client = logged_in_client(admin)
    first = w.reports[0]
    urls = [
        "/admin/cases/case/",
        f"/admin/cases/case/?q={first.number}",
        f"/admin/cases/case/{first.pk}/change/",
        "/admin/cases/petitioner/",
        "/admin/cases/accusedperson/",
        "/admin/cases/attachment/",
        "/admin/notifications/notification/",
        "/admin/documents/document/",
        "/admin/supervision/notice/",
        f"/admin/accountability/accountabilitycase/{w.from_report.pk}/change/",
        "/admin/dashboard/policyfix/",
    ]
    content = [s for s in secrets_of(w) if not s.label.startswith("编号")]
    leaks = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200 and (hit := found(text_of(response), content)):
            leaks[url] = hit
    assert not leaks, leaks


def test_a_fix_shared_with_a_report_is_named_only_in_the_reports_history(world):
    """The complaint's history is read by the college the 举报 names: it says that a fix
    was adopted, not which (its title is the 举报's matter)."""
    w = world
    named = w.reports[0].history.get(transition="制度完善").history_change_reason
    assert FIX_TITLE in named
    notes = list(w.own.history.filter(transition="制度完善").values_list("history_change_reason", flat=True))
    assert len(notes) == 2 and sum(FIX_TITLE in n for n in notes) == 0
    assert sum(OWN_FIX_TITLE in n for n in notes) == 1
    assert w.user("office") == w.own.history.filter(transition="制度完善").first().history_user


def test_a_plain_administrator_reads_no_report_on_the_dashboard(world):
    """Issue 13 point 8 leaves an administrator without the 举报 (cases.selectors): the
    whole-school rollups and the hot topics the office has just read count them, so
    neither may answer the administrator."""
    w = world
    office, admin = w.user("office"), w.user("admin")
    assert text_of(logged_in_client(office).get("/dashboard/topics/")).count(KEYWORD)  # cached for the school
    client = logged_in_client(admin)
    secrets = secrets_of(w)
    for url in ("/dashboard/", "/dashboard/topics/", "/dashboard/topics/fixes/", f"/dashboard/report/?year={YEAR}"):
        assert found(text_of(client.get(url)), secrets) == [], url
    period = periods.make_period("ytd")
    shown = {f.key: f.value for f in figures.dashboard(user=admin, unit=None, period=period)["figures"]}
    theirs = {f.key: f.value for f in figures.dashboard(user=office, unit=None, period=period)["figures"]}
    assert shown["received"] == theirs["received"] - 4


def test_a_repeat_does_not_name_the_report_it_repeats(world):
    """A complaint the college handles, registered as a repeat (重复信访) of a 举报 against
    it by the clerk who registered both, names the 举报 to nobody who may not open it."""
    w = world
    name, phone, _summary = REPORTS[2]
    repeat, _ = services.case_register(
        actor=w.user("clerk"),
        petitioner=services.PetitionerData(name=name, phone=phone),
        data=services.CaseData(
            channel=Channel.PHONE,
            kind=Kind.COMPLAINT,
            received_on=TODAY,
            summary="再次反映实训课收费问题",
            is_repeat=True,
            repeat_of=w.reports[2],
        ),
    )
    walk(repeat, State.HANDLING, w.people, unit_code="jsj")
    page = text_of(logged_in_client(w.user("head_jsj")).get(f"/cases/{repeat.pk}/"))
    assert f"编号 {w.reports[2].number}" not in found(page, secrets_of(w))


def test_the_namesake_is_not_accused(world):
    """The fixture names the head by his account: his namesake stays unaccused."""
    namesake, head = world.user("namesake"), world.user("head_jsj")
    assert namesake.full_name == head.full_name
    assert not AccusedPerson.objects.filter(user=namesake).exists()
    assert Unit.objects.get(code="jsj").head == head
    assert timezone.localdate() == TODAY
