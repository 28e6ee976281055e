"""The demo a new user meets (./xf run): two years of a school's petitions, each walked
through the real services at the time it happened (devtools.demo_year). It loads on any
day, loads once, and its kinds, topics, units and words agree; every state of the
lifecycle is there; the months show the school year (September's enrolment, the exams of
January and June, 奖助学金 in March and September); every decision is told to the
petitioner in writing and delivered (《信访工作条例》第二十三条), and the 复查 request comes
after the reply reached the petitioner (第三十五条). Small counts: a case costs about half a
second, most of it its PDFs."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.demo_text import MATTERS
from cases.models import Case, Kind, State
from deadlines import calendar as cal
from deadlines.clocks import Clock
from devtools.demo import load_demo
from devtools.demo_year import SHOWCASE, Clockwork, plan_cases
from documents.guards import delivery_owed
from documents.models import Delivery, Document
from notifications.models import Notification
from people.demo import PEOPLE, demo_units, ensure_people
from people.models import Unit
from supervision.models import Notice
from tests.conftest import logged_in_client

D = dt.date

pytestmark = pytest.mark.django_db

COLLEGES = {"jsj": "计算机工程学院", "dz": "电子工程学院", "rj": "软件学院"}


def _month_counts(cases) -> Counter:
    """Cases received per calendar month (1-12), both years together."""
    return Counter(c.received_on.month for c in cases)


# an ordinary day, 29 February, and a 调休 working Saturday
@pytest.mark.parametrize("day", [D(2026, 12, 2), D(2028, 2, 29), D(2026, 9, 27)])
def test_the_demo_loads_once_and_tells_every_decision_in_writing(today_is, day):
    today_is(day)
    loaded = load_demo(cases=len(SHOWCASE) + 6)
    assert loaded["created"] == len(SHOWCASE) + 6 + 5 and loaded["skipped"] == []
    again = load_demo()
    assert again["created"] == 0  # safe to run again (it resets the logins' passwords)
    assert Case.objects.count() == loaded["created"]

    # a decision of more than a few days ago has reached the petitioner in writing; none
    # is late (the notice goes out within hours and arrives within days)
    decided = Case.objects.exclude(state__in=[State.REGISTERED, State.RETURNED_UP]).exclude(accepted_at=None)
    owed = [case for case in decided if delivery_owed(case)]
    assert owed
    for case in owed:
        clock = case.clocks.get(rule__code="accept-decision")
        assert clock.status != Clock.Status.OVERDUE, case.number
        if timezone.localdate(case.accepted_at) <= timezone.localdate() - dt.timedelta(days=5):
            assert (case.number, clock.status) == (case.number, Clock.Status.STOPPED)
            assert Delivery.objects.filter(document__case=case).exists()

    asked = Case.objects.filter(review_requests__isnull=False).distinct()
    assert asked.exists()
    for case in asked:
        window = case.clocks.get(rule__code="review-request")
        assert window.start_date == timezone.localdate()  # from the delivery, today

    office = logged_in_client(again["users"]["office"])
    assert office.get("/").status_code == 200
    assert office.get(asked.first().get_absolute_url()).status_code == 200


def test_two_years_of_a_school(today_is, settings, tmp_path):
    """Two years of 90 petitions up to 20 November 2026, for a school with its own name,
    loaded once and read from every side below."""
    today_is(D(2026, 11, 20))
    settings.XINFANG_ORGANISATION = "湖南演示职业技术学院"
    loaded = load_demo(cases=90)
    assert loaded["skipped"] == []  # the services refused no step
    _every_state()
    _kinds_topics_units_and_words_agree()
    _the_months_show_the_school_year(loaded["users"]["office"])
    _the_history_is_told_at_the_time_it_happened()
    _the_documents_carry_the_schools_name(tmp_path)


def _every_state():
    cases = Case.objects.all()
    assert cases.count() == 95  # and today's five that the README points at
    assert set(cases.values_list("state", flat=True)) == set(State.values)
    today = timezone.localdate()
    first = min(cases.values_list("received_on", flat=True))
    assert today - dt.timedelta(days=731) <= first <= today - dt.timedelta(days=700)
    assert max(cases.values_list("received_on", flat=True)) == today
    # most are long done; what is open is recent, but for the odd stuck one
    done = cases.filter(state__in=[State.ARCHIVED, State.FOLLOWED_UP]).count()
    assert done >= 0.7 * cases.count()
    old_open = cases.filter(received_on__lt=today - dt.timedelta(days=90), state__in=[State.HANDLING])
    assert 1 <= old_open.count() <= 2
    # the 积案 is supervised, and its notices, unanswered, went up the ladder
    stuck = old_open.first()
    assert stuck.notices.filter(status=Notice.Status.ESCALATED).exists()


def _kinds_topics_units_and_words_agree():
    cases = list(Case.objects.select_related("main_unit", "topic", "complained_unit"))
    handled = [c for c in cases if c.main_unit_id]
    assert len(handled) > 60
    units = {u.code: u for u in Unit.objects.all()}
    for case in handled:
        label = f"{case.number} {case.summary} → {case.main_unit}"
        if case.kind == Kind.REPORT:  # 条例 第二十二条、第三十条
            assert case.main_unit.kind == Unit.Kind.DISCIPLINE, label
            continue
        assert case.main_unit.kind != Unit.Kind.DISCIPLINE, label
        if "食堂" in case.summary:
            assert (case.main_unit.code, case.topic.name) == ("hqc", "后勤服务"), label
        if "成绩" in case.summary and "答辩" not in case.summary:
            assert (case.main_unit.code, case.topic.name) == ("jwc", "教育教学"), label
        if "奖学金" in case.summary or "助学金" in case.summary:
            assert (case.main_unit.code, case.topic.name) == ("xgc", "日常管理"), label
        if "职称" in case.summary or "课时费" in case.summary:
            assert (case.main_unit.code, case.topic.name) == ("rsc", "教师待遇"), label
        if "宿舍" in case.summary and "门禁" not in case.summary and "晚归" not in case.summary:
            assert case.main_unit.code == "hqc", label
        # a teacher's lesson, a college's lab: the college the summary names
        if case.main_unit.kind == Unit.Kind.COLLEGE:
            assert case.main_unit.name in case.summary, label
        if case.complained_unit_id:
            assert case.complained_unit_id == case.main_unit_id, label
        # the unit's finding names the unit that made it
        if case.report_facts and case.kind != Kind.CONSULTATION:
            assert case.report_facts.startswith(f"经{case.main_unit.name}"), label
    reports = [c for c in cases if c.kind == Kind.REPORT]
    assert reports and all(not c.main_unit_id or c.main_unit_id == units["jjjc"].pk for c in reports)
    # a 举报 against a college is kept from it (条例 第三十条)
    accused = [c for c in reports if c.accused_units.exists()]
    assert accused
    for case in accused:
        college = case.accused_units.get()
        assert college.name in case.summary
        head = college.head
        if head is not None:
            assert not Case.objects.filter(pk=case.pk).filter(pk__in=_visible(head)).exists()
    # the petitioner's own words open the letter, in the petitioner's name (before today's
    # cases of cases.demo.load_showcase)
    named = [
        c
        for c in cases
        if c.petitioner.name != "匿名" and c.kind != Kind.REPORT and c.received_on < timezone.localdate()
    ]
    assert named
    for case in named:
        assert case.content.startswith(f"本人{case.petitioner.name}"), (case.number, case.content)


def _visible(user):
    from cases.selectors import cases_visible_to

    return cases_visible_to(user=user).values("pk")


def _the_months_show_the_school_year(office_user):
    cases = list(Case.objects.all())
    months = _month_counts(cases)
    # enrolment, exams and graduation against the breaks
    assert months[9] > months[8] and months[9] > months[10]
    assert months[1] > months[2] and months[3] > months[2]
    assert months[6] > months[8]
    # in each of the two years
    for year in (2025, 2026):
        of_year = _month_counts(c for c in cases if c.received_on.year == year)
        assert of_year[9] > of_year[8], year
    # and the dashboard has a trend to draw, against the year before
    office = logged_in_client(office_user)
    page = office.get(reverse("dashboard:home"))
    assert page.status_code == 200
    trend = page.context["charts"]["trend"]
    assert sum(trend["current"]) > 20 and sum(trend["previous"]) > 20


def _the_history_is_told_at_the_time_it_happened():
    """Nothing back-dated: each step's history row and its clocks carry the moment the
    step was taken, in order, with the case's number of the year it was registered."""
    now = timezone.now()
    for case in Case.objects.all():
        registered = timezone.localtime(case.registered_at)
        assert case.number.startswith(f"{registered.year}-"), case.number
        assert case.received_on <= registered.date()
        steps = [case.registered_at, case.accepted_at, case.proposed_at, case.assigned_at, case.replied_at]
        steps = [t for t in steps if t is not None]
        assert steps == sorted(steps) and steps[-1] <= now, case.number
        history = list(case.history.order_by("history_id").values_list("history_date", flat=True))
        assert history == sorted(history) and history[0] >= case.registered_at - dt.timedelta(seconds=1)
    # clocks stopped on time, mostly; a few units reported late, and were chased for it
    closed = Clock.objects.filter(rule__code="unit-result", status=Clock.Status.STOPPED)
    assert closed.filter(on_time=True).count() > 0.85 * closed.count()
    assert Notice.objects.filter(status=Notice.Status.CLOSED, answered_at__isnull=False).exists()
    # documents are numbered in the year they were issued
    for document in Document.objects.issued():
        assert document.year == timezone.localtime(document.issued_at).year
    # the people have read their notifications, but for the last days'
    assert not Notification.objects.filter(read_at=None, created_at__lt=now - dt.timedelta(days=5)).exists()
    assert Notification.objects.filter(read_at=None).exists()


def _the_documents_carry_the_schools_name(tmp_path):
    if shutil.which("pdftotext") is None:
        return  # poppler-utils (./xf setup installs it) reads the PDF back
    document = Document.objects.issued().filter(case__state=State.FOLLOWED_UP).order_by("pk").first()
    path = tmp_path / "answer.pdf"
    path.write_bytes(document.file.read())
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, timeout=30)
    text = re.sub(r"\s+", "", out.stdout.decode())
    assert "湖南演示职业技术学院" in text and document.case.summary[:8] in text


def test_the_plan_peaks_where_a_school_year_does(today_is):
    """The planned petitions, many of them (no replay): the busiest months are September
    and March, the quietest February and August; 奖助学金 come in March and September,
    admissions in July and August, 毕业证书 in June and July."""
    today_is(D(2026, 11, 20))
    plans = plan_cases(4000, now=timezone.now(), seed=7, colleges=COLLEGES, clockwork=Clockwork(cal.current_calendar()))
    months = Counter(p.received_on.month for p in plans if not p.showcase)
    ranked = [m for m, _ in months.most_common()]
    assert ranked[0] == 9 and 3 in ranked[:3]
    assert set(ranked[-2:]) == {2, 8}

    def peaks(key: str) -> set[int]:
        of = Counter(p.received_on.month for p in plans if p.matter.key == key)
        return {m for m, _ in of.most_common(2)}

    assert peaks("scholarship") == {3, 9}
    assert peaks("admission") <= {7, 8}
    assert peaks("diploma") <= {6, 7}
    assert peaks("grades") <= {1, 2, 7}
    # weekends are quieter than working days
    weekday = Counter(p.received_on.weekday() for p in plans)
    assert weekday[6] < weekday[2] / 2
    # every matter's kinds and unit come from its row
    for plan in plans:
        assert plan.kind in plan.matter.kinds
        if plan.kind == Kind.REPORT:
            assert plan.unit == "jjjc"
        elif plan.matter.unit == "college":
            assert plan.unit in COLLEGES and COLLEGES[plan.unit] in plan.summary
        else:
            assert plan.unit == plan.matter.unit


def test_every_matter_names_a_seeded_topic_and_a_demo_unit(db):
    topics = {"教育教学", "日常管理", "后勤服务", "资源配置", "校园安全", "教师待遇", "招生录取", "学籍管理"}
    codes = {code for code, *_ in demo_units()} | {"college"}
    for matter in MATTERS:
        assert matter.topic in topics, matter.key
        assert matter.unit is None or matter.unit in codes, matter.key
        assert len(matter.months) == 12 and matter.weight > 0, matter.key
        if Kind.REPORT in matter.kinds:
            assert matter.unit == "jjjc" and set(matter.kinds) == {Kind.REPORT}, matter.key


def test_a_school_names_its_own_units(today_is, settings):
    """XINFANG_DEMO_UNITS renames a unit (and may add a 二级学院); the cases and the unit's
    findings name it as the school does."""
    today_is(D(2026, 11, 20))
    settings.XINFANG_DEMO_UNITS = [
        (code, "后勤管理处" if code == "hqc" else name, kind) for code, name, kind in settings.XINFANG_DEMO_UNITS
    ] + [("sm", "商贸学院", "college")]
    ensure_people()
    assert Unit.objects.get(code="hqc").name == "后勤管理处" and Unit.objects.filter(code="sm").exists()
    load_demo(cases=len(SHOWCASE))
    canteen = Case.objects.filter(summary__contains="食堂", main_unit__code="hqc").exclude(report_facts="").first()
    assert canteen is not None and "后勤管理处" in canteen.report_facts


def test_a_units_list_without_the_demos_units_is_refused(settings):
    settings.XINFANG_DEMO_UNITS = [u for u in settings.XINFANG_DEMO_UNITS if u[0] != "jjjc"]
    with pytest.raises(ImproperlyConfigured, match="jjjc"):
        demo_units()


def test_the_command_takes_a_count_and_says_so(today_is):
    from io import StringIO

    today_is(D(2026, 11, 20))
    out = StringIO()
    call_command("load_demo", "--cases", str(len(SHOWCASE)), stdout=out, stderr=StringIO())
    assert f"新建信访件 {len(SHOWCASE) + 5} 件" in out.getvalue()
    for username, *_ in PEOPLE:
        assert f"  {username} " in out.getvalue()
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "已有信访件，未再新建" in again.getvalue()


def test_the_readme_lists_every_demo_login():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    logins = readme.split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    for username, full_name, *_ in PEOPLE:
        assert f"`{username}`" in logins and full_name in logins, username
