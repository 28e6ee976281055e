"""Reads. Every list, page, count and download goes through `cases_visible_to`."""

from __future__ import annotations

import datetime as dt

import rules
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from people.abilities import heads_own_unit
from people.models import User

from . import abilities
from .choices import HANDED_TO_UNIT, OPEN_STATES, REPLIED_STATES
from .deadline_badges import open_duty_clocks, with_due_key
from .models import AccusedPerson, Attachment, Case, Kind, Petitioner, Recusal, State
from .pages import TimelineEntry, apply_list_filters, timeline_entries
from .validators import ID_RE, normalise_id_number, normalise_name, normalise_phone


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    """The cases `user` may see.

    - the petition office, the system administrator and the 主要领导: every case;
    - a clerk: the cases the clerk registered;
    - a unit head or receptionist: cases handed to the unit, as main or co-unit, and the
      cases the unit registered itself (二级信访);
    - a leader: cases in the units in their charge, sent to them for approval, or in
      their personal charge (包案);
    - discipline/HR: 检举控告类 (举报) cases (条例 第30条);
    - a system administrator: every case but the 举报, which only the discipline role
      reads (an administrator who also handles 举报 is given that role).

    Whatever the role, a case naming the user, a member of the user's unit or the unit
    itself as accused is invisible to them (条例 第30条; seed 002 第十三条(八); seed 004
    第九条; accused_case_ids), and so is a case they stepped aside from (回避, 条例 第28条;
    seed 004 第九条).
    """
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    qs = Case.objects.all()
    role = user.role
    if role == User.Role.OFFICE or (role == User.Role.LEADER and user.is_main_leader):
        pass
    elif role == User.Role.ADMIN:
        qs = qs.exclude(kind=Kind.REPORT)
    elif role == User.Role.CLERK:
        qs = qs.filter(registered_by=user)
    elif role in (User.Role.UNIT_HEAD, User.Role.RECEPTIONIST):
        if user.unit_id is None:
            return Case.objects.none()
        co = Case.co_units.through.objects.filter(case_id=OuterRef("pk"), unit_id=user.unit_id)
        handed = Q(Q(main_unit_id=user.unit_id) | Exists(co), state__in=HANDED_TO_UNIT)
        # 二级信访: what the unit registered itself, from registration on
        qs = qs.filter(handed | Q(registered_unit_id=user.unit_id))
    elif role == User.Role.LEADER:
        charge = list(user.charge_units.values_list("pk", flat=True))
        qs = qs.filter(Q(approving_leader=user) | Q(leader_in_charge=user) | Q(main_unit_id__in=charge))
    elif role == User.Role.DISCIPLINE:
        # every 举报 (条例 第30条), and what is handed to the discipline unit to handle
        handed = Q(main_unit_id=user.unit_id, state__in=HANDED_TO_UNIT) if user.unit_id else Q(pk__in=[])
        qs = qs.filter(Q(kind=Kind.REPORT) | handed)
    else:
        return Case.objects.none()
    return exclude_accused(qs, user=user)


# Up to this many hidden cases are left out by id; past it, by NOT EXISTS.
HIDDEN_BY_ID_LIMIT = 1000


def exclude_accused(qs: QuerySet[Case], *, user: User) -> QuerySet[Case]:
    """Leave out the cases that accuse the user or the user's unit, and those the user
    stepped aside from (accused_case_ids). Their ids are read first (one small query,
    usually empty), so that the list's queries carry no anti-join; a unit accused in very
    many cases falls back to NOT EXISTS."""
    ids = list(accused_case_ids(user).values_list("case_id", flat=True)[: HIDDEN_BY_ID_LIMIT + 1])
    if len(ids) <= HIDDEN_BY_ID_LIMIT:
        return qs.exclude(pk__in=ids) if ids else qs
    qs = qs.exclude(Exists(AccusedPerson.objects.filter(_naming(user), case_id=OuterRef("pk"))))
    qs = qs.exclude(Exists(Recusal.objects.filter(user_id=user.pk, case_id=OuterRef("pk"))))
    accused_unit = Case.accused_units.through.objects.filter(case_id=OuterRef("pk"), unit_id=user.unit_id)
    return qs.exclude(Exists(accused_unit))


# A name this short inside a name still 未核实 would hide too much (a surname alone).
SHORTEST_NAME_TO_MATCH = 2


def _naming(user: User) -> Q:
    """The AccusedPerson rows that name `user`, or a member of their unit:

    - linked to the user;
    - linked to someone of the user's unit (the unit they worked in when the report was
      registered, or work in now): a 举报 naming a unit's head or member is the unit's
      business, and its receptionist must not read it;
    - still 未核实 and written with the user's name in it ("刘院长(院长)" names 刘院长):
      until the office says who is meant, every namesake is kept out."""
    named = Q(user_id=user.pk)
    if user.unit_id is not None:
        named |= Q(unit_id=user.unit_id) | Q(user__unit_id=user.unit_id)
    full_name = (user.full_name or "").strip()
    if len(full_name) >= SHORTEST_NAME_TO_MATCH:
        named |= Q(status=AccusedPerson.Status.UNRESOLVED, name__contains=full_name)
    return named


def accused_case_ids(user: User) -> QuerySet:
    """The ids (as `case_id`) of the cases hidden from `user` whatever their role
    (《信访工作条例》第三十条; seed 002 第十三条(八); seed 004 第九条): the 举报 that name them
    or someone of their unit (_naming), those against their unit, and the cases they
    stepped aside from (回避: 《信访工作条例》第二十八条第三款; seed 004 第九条; Recusal)."""
    # no ORDER BY from the models' Meta.ordering: SQLite refuses one inside a UNION
    named = AccusedPerson.objects.filter(_naming(user)).order_by().values("case_id")
    others = [Recusal.objects.filter(user_id=user.pk).order_by().values("case_id")]
    if user.unit_id is not None:
        others.append(Case.accused_units.through.objects.filter(unit_id=user.unit_id).values("case_id"))
    return named.union(*others)


def hides_accused_cases(user: User) -> bool:
    """Whether some case is hidden from `user` as accused, or because they stepped aside
    from it: whole-school figures (the dashboard's rollups and hot topics) would then
    count too much for them. One query: the union of accused_case_ids, asked for one row."""
    return bool(accused_case_ids(user).values_list("case_id", flat=True)[:1])


def case_for_user(*, user: User, pk: int) -> Case:
    """One case, or Http404 when it is out of scope (or does not exist: the same answer)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        cases_visible_to(user=user).select_related(
            "petitioner",
            "topic",
            "main_unit",
            "complained_unit",
            "registered_by",
            "approving_leader",
            "leader_in_charge",
            "repeat_of",
            "unit_approved_by",
            "leader_approved_by",
        ),
        pk=pk,
    )


# --- work queues -------------------------------------------------------------------

QUEUES: dict[str, tuple[str, tuple[str, ...], rules.Predicate]] = {
    # key: (label, states, who works this queue)
    "to_accept": ("待受理", (State.REGISTERED,), abilities.works_intake_queues),
    "to_propose": ("待拟办", (State.ACCEPTED,), abilities.works_intake_queues),
    "to_approve": ("待批示", (State.PROPOSED,), abilities.works_approval_queue),
    "to_take": ("待承办", (State.ASSIGNED,), abilities.works_unit_queues),
    "handling": ("办理中", (State.HANDLING,), abilities.works_unit_queues),
    "to_review": ("待审核", (State.UNIT_REVIEW, State.LEADER_REVIEW), abilities.works_review_queue),
    "to_archive": ("待归档", (State.REPLIED,), abilities.works_intake_queues),
    "to_follow_up": ("待回访", (State.ARCHIVED,), abilities.works_intake_queues),
    # the clerk's desk: what they registered today, and what waits for its details
    "registered_today": ("今日登记", tuple(State), abilities.is_clerk),
    "to_complete": ("待补全登记", (State.REGISTERED, State.ACCEPTED), abilities.is_clerk),
    # discipline's: the 举报 not yet answered (条例 第三十条: they go to 纪检监察)
    "reports_open": ("举报未办结", tuple(s for s in OPEN_STATES if s not in REPLIED_STATES), abilities.is_discipline),
}


def works_queue(user: User, key: str) -> bool:
    return key in QUEUES and QUEUES[key][2].test(user)


def queue_cases(*, user: User, key: str) -> QuerySet[Case]:
    """The cases in one of the user's queues: in scope, and waiting for this user's role."""
    _label, states, _roles = QUEUES[key]
    qs = cases_visible_to(user=user).filter(state__in=states)
    if key == "to_review":
        # the unit head settles UNIT_REVIEW; the leader settles LEADER_REVIEW
        qs = qs.filter(state=State.UNIT_REVIEW if heads_own_unit(user) else State.LEADER_REVIEW)
        if not heads_own_unit(user) and not user.is_main_leader:
            # a 特别重大 reply waits for the 主要领导 alone (seed 000 §四.6(1))
            qs = qs.exclude(gravity="grave")
        if heads_own_unit(user):
            qs = qs.filter(main_unit_id=user.unit_id)
    if key == "to_approve" and not user.is_main_leader:
        qs = qs.filter(approving_leader=user)
    if key == "to_approve" and user.is_main_leader:
        qs = qs.filter(Q(approving_leader=user) | Q(is_major=True))
    if key in ("to_take", "handling"):
        qs = qs.filter(main_unit_id=user.unit_id)
    if key == "registered_today":
        qs = qs.filter(registered_by=user, registered_at__gte=_start_of_today())
    if key == "to_complete":
        qs = qs.filter(registered_by=user).filter(needs_completion())
    if key == "reports_open":
        qs = qs.filter(kind=Kind.REPORT)
    return qs


def _start_of_today() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))


def needs_completion() -> Q:
    """A registration the written notice cannot go out on (《信访工作条例》第二十三条): the
    petitioner left neither a phone number nor an address."""
    return Q(petitioner__phone="", petitioner__address="")


def queues_for(*, user: User) -> list[dict]:
    """The queues that belong to the user's role, each with its count (one query each)."""
    result = []
    for key, (label, _states, works) in QUEUES.items():
        if works.test(user):
            result.append({"key": key, "label": label, "count": queue_cases(user=user, key=key).count()})
    return result


def similar_open_cases(*, user: User, name: str, phone: str, id_number: str, summary: str) -> dict:
    """Earlier open cases of the same petitioner, and open cases with a similar summary,
    so the clerk can mark a 重复信访 (DOMAIN: 重复信访 flag)."""
    from .models import OPEN_STATES

    base = cases_visible_to(user=user).filter(state__in=OPEN_STATES).select_related("petitioner")
    # as typed into the form: normalised the way the petitioner was stored (issue 13 point 9)
    name, phone, id_number = normalise_name(name), normalise_phone(phone), normalise_id_number(id_number)
    same_person = Q()
    if id_number:
        same_person |= Q(petitioner__id_number=id_number)
    if phone:
        same_person |= Q(petitioner__phone=phone)
    if name and phone == "" and id_number == "":
        same_person |= Q(petitioner__name=name)
    by_person = list(base.filter(same_person).order_by("-registered_at")[:5]) if same_person else []
    fragments = [f for f in _fragments(summary) if len(f) >= 4][:3]
    by_summary: list[Case] = []
    if fragments:
        q = Q()
        for fragment in fragments:
            q |= Q(summary__icontains=fragment)
        seen = {c.pk for c in by_person}
        by_summary = [c for c in base.filter(q).order_by("-registered_at")[:5] if c.pk not in seen]
    return {"by_person": by_person, "by_summary": by_summary}


def _fragments(text: str) -> list[str]:
    import re

    parts = re.split(r"[\s，。、；：！？,.;:!?（）()“”\"'《》]+", text or "")
    return sorted({p[:8] for p in parts if p}, key=len, reverse=True)


def with_next_due(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with its nearest open deadline and order by it, nearest first
    (cases with no open clock last): the order of every worklist. Open means counting:
    a paused clock (听证, 条例 第36条) and one that does not apply (不适用, 第23条's unknown
    petitioner) set no deadline to work to, nor does a window that is the petitioner's
    to use (复查 request, 第35条). Statuses as deadlines.clocks names them; cases
    sits below deadlines and cannot import it."""
    # a petitioner's window that lapsed is not the school's deadline (deadline_badges)
    open_clocks = open_duty_clocks()
    return qs.annotate(
        next_due=Min("clocks__due_at", filter=open_clocks),
        next_due_date=Min("clocks__due_date", filter=open_clocks),
        overdue_clocks=Count("clocks", filter=open_clocks & Q(clocks__status="overdue")),
        due_soon_clocks=Count("clocks", filter=open_clocks & Q(clocks__status="due_soon")),
    ).order_by(F("next_due").asc(nulls_last=True), "registered_at")


def attachments_for(*, case: Case, user: User):
    """The case's files `user` may open: another unit's answer to its own notice stays
    with that unit and the office."""
    qs = case.attachments.all()
    if user.is_unit_staff and user.unit_id is not None:
        # `notices` is the reverse of supervision's Notice.attachments (an answer's files)
        through = Attachment.notices.through
        others = through.objects.filter(attachment_id=OuterRef("pk")).exclude(notice__unit_id=user.unit_id)
        qs = qs.exclude(Exists(others))
    return qs


def notifications_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Registered with notifications: a notification about a case leaves the reader's
    list once the case leaves their scope (条例 第30条); digests carry no case."""
    visible = cases_visible_to(user=user).filter(pk=OuterRef("case_id"))
    return qs.filter(Q(case=None) | Exists(visible))


# --- the case list ------------------------------------------------------------------


def cases_filtered(*, user: User, data: dict | None) -> tuple[QuerySet[Case], str]:
    """The scoped case set narrowed by the list's filters (the cleaned data of
    cases.forms.CaseFilterForm, or None when it did not validate), and its order; the
    list's count, its rows and its export all come from it."""
    qs = cases_visible_to(user=user)
    if data is None:
        return qs, "-registered_at"
    if data.get("state"):
        qs = qs.filter(state__in=data["state"])
    for key in ("channel", "kind"):
        if data.get(key):
            qs = qs.filter(**{key: data[key]})
    if data.get("unit"):
        qs = qs.filter(main_unit=data["unit"])
    if data.get("complained_unit"):
        qs = qs.filter(complained_unit=data["complained_unit"])
    if data.get("date_from"):
        qs = qs.filter(received_on__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(received_on__lte=data["date_to"])
    for flag in data.get("flags") or []:
        qs = qs.filter(**{flag: True})
    # the dashboard's drill-down conditions (status, deadline, late, notice, …)
    qs = apply_list_filters(qs, data, user)
    text = (data.get("q") or "").strip()
    if text:
        qs = qs.filter(text_search(text))
    by_received = data.get("date_from") or data.get("date_to")
    sort = data.get("sort") or ("-received_on" if by_received else "-registered_at")
    if sort.lstrip("-") == "due_key":
        qs = with_due_key(qs)
    return qs, sort


# Past this many matching petitioners the search joins instead of listing their ids.
SEARCH_PEOPLE_LIMIT = 500


def text_search(text: str) -> Q:
    """关键词: the case number, the petitioner's name, phone or whole ID number, or words
    of the summary.

    The petitioners are looked up first (trigram indexes on PostgreSQL), so that the case
    query is an OR of indexed conditions rather than a join tested row by row. Trigrams
    need three characters: a shorter 关键词 that is part of a petitioner's name is taken
    as a name, and the summaries (which no index can search for it) are left out.

    A phone or ID number is normalised as it was stored (cases.validators; issue 13
    point 9), so full-width digits, spaces or +86 find the same petitioner."""
    person = Q(name__icontains=text)
    phone = normalise_phone(text)
    if phone:
        person |= Q(phone__contains=phone)
        if "-" in phone:  # part of a mobile typed with its hyphens (138-0013)
            person |= Q(phone__contains=phone.replace("-", ""))
    id_number = normalise_id_number(text)
    if ID_RE.fullmatch(id_number):
        person |= Q(id_number=id_number)
    people = Petitioner.objects.filter(person)
    ids = list(people.values_list("pk", flat=True)[: SEARCH_PEOPLE_LIMIT + 1])
    by_person = Q(petitioner_id__in=ids) if len(ids) <= SEARCH_PEOPLE_LIMIT else Q(petitioner__in=people)
    found = Q(number=text) | by_person
    if len(text) >= 3 or not ids:
        found |= Q(summary__icontains=text)
    return found


# --- the case page -------------------------------------------------------------------


def case_timeline(*, case: Case, user: User) -> list[TimelineEntry]:
    """The case's steps from its own history, merged with the steps the apps above add
    (the notices on it that the user may see keep their own history)."""
    entries = []
    state = None
    for h in case.history.select_related("history_user").exclude(transition="").order_by("history_date", "history_id"):
        # the state it moved to, only when it moved: a note (批准延期, 制作文书, 补全登记)
        # leaves the state as it was and says so by showing none
        moved = h.state != state
        state = h.state
        result = h.get_state_display() if moved and h.transition != h.get_state_display() else ""
        who = h.history_user.display_name if h.history_user else "系统"
        entries.append(TimelineEntry(h.transition, result, h.history_date, who, h.history_change_reason or ""))
    entries.extend(timeline_entries(case, user))
    entries.sort(key=lambda e: e.at)
    return entries
