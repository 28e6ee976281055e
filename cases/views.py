"""Pages. Each view loads through a scoped selector (404 when out of scope), binds a form,
calls one service and redirects. Writes only on POST."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.security import client_ip
from people.selectors import staff_search

from . import abilities, bulk, deadline_badges, forms, pages, phrases, saved, services
from .actions import available_actions
from .choices import REPLIED_STATES
from .conditions import units_barred_from
from .models import Channel, Kind, Recusal, State, mask
from .paging import keyset_page
from .selectors import (
    QUEUES,
    attachments_for,
    case_for_user,
    case_timeline,
    cases_filtered,
    cases_visible_to,
    queue_cases,
    queues_for,
    similar_open_cases,
    with_next_due,
    works_queue,
)


@login_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    """The user's queues with counts, and the first few cases of each."""
    queues = queues_for(user=request.user)
    for queue in queues:
        queue["cases"] = list(
            with_next_due(queue_cases(user=request.user, key=queue["key"])).select_related("petitioner", "main_unit")[
                :5
            ]
        )
    deadline_badges.attach([case for queue in queues for case in queue["cases"]])
    return render(
        request,
        "cases/workbench.html",
        {"queues": queues, "today": timezone.localdate(), **pages.workbench_context(request)},
    )


@login_required
@require_GET
def queue(request: HttpRequest, key: str) -> HttpResponse:
    if not works_queue(request.user, key):
        raise Http404
    cases = with_next_due(queue_cases(user=request.user, key=key)).select_related("petitioner", "main_unit")[:500]
    cases = deadline_badges.attach(cases)
    return render(
        request,
        "cases/queue.html",
        {
            "label": QUEUES[key][0],
            "cases": cases,
            "key": key,
            "today": timezone.localdate(),
            **bulk_context(request.user),
        },
    )


# The list reads only the columns its table shows, as dicts: no model instances.
LIST_FIELDS = (
    "id",
    "number",
    "channel",
    "kind",
    "received_on",
    "registered_at",
    "summary",
    "state",
    "is_major",
    "is_group",
    "group_size",
    "is_over_level",
    "is_leader_case",
    "is_repeat",
    "petitioner__name",
    "petitioner__phone",
    "main_unit__name",
)
CHANNEL_LABELS = dict(Channel.choices)
KIND_LABELS = dict(Kind.choices)
STATE_LABELS = dict(State.choices)
STATE_CSS = {
    State.FOLLOWED_UP: "text-bg-success",
    State.ARCHIVED: "text-bg-success",
    State.NOT_ACCEPTED: "text-bg-secondary",
    State.FORWARDED: "text-bg-secondary",
    State.REGISTERED: "text-bg-warning",
}


def bulk_context(user) -> dict:
    """What the list and the queues offer for the ticked rows (cases.bulk): the steps the
    person's role takes, and the export when they may export ledgers."""
    import rules

    offered = []
    if abilities.works_intake_queues(user):
        offered += [("accept", "受理"), ("propose", "拟办")]
    if abilities.works_approval_queue(user):
        offered.append(("assign", "批示交办"))
    return {"bulk_actions": offered, "can_export": rules.test_rule("documents.export_ledger", user)}


def list_rows(rows: list[dict]) -> list[dict]:
    """Format the table's cells once, in Python: the template only places them
    (the same output as cases/_table.html with _flags.html and _state.html)."""
    tz = timezone.get_current_timezone()
    detail = reverse("cases:detail", args=[0])[: -len("0/")]
    for r in rows:
        r["url"] = f"{detail}{r['id']}/"
        r["phone"] = mask(r["petitioner__phone"], keep_start=3, keep_end=4)
        r["channel_label"] = CHANNEL_LABELS.get(r["channel"], r["channel"])
        r["kind_label"] = KIND_LABELS.get(r["kind"], r["kind"])
        r["received"] = r["received_on"].isoformat()
        r["registered"] = r["registered_at"].astimezone(tz).strftime("%Y-%m-%d %H:%M")
        r["summary_short"] = Truncator(r["summary"]).chars(40)
        r["state_label"] = STATE_LABELS.get(r["state"], r["state"])
        r["state_css"] = STATE_CSS.get(r["state"], "text-bg-primary")
    deadline_badges.attach(rows)
    return rows


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form = forms.CaseFilterForm(request.GET or None)
    qs, sort = cases_filtered(user=request.user, data=form.cleaned_data if form.is_valid() else None)
    page = keyset_page(
        qs,
        sort=sort,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=settings.CASE_LIST_PAGE_SIZE,
        load=lambda q: q.values(*LIST_FIELDS),
    )
    list_rows(page.rows)
    params = request.GET.copy()
    params.pop("after", None)
    params.pop("before", None)
    base_query = params.urlencode()
    sort_links = {}
    for field in ("registered_at", "received_on", "id"):
        p = params.copy()
        p["sort"] = field if sort == f"-{field}" else f"-{field}"
        sort_links[field] = p.urlencode()
    # 期限: nearest first on the first click
    p = params.copy()
    p["sort"] = "-due_key" if sort == "due_key" else "due_key"
    sort_links["due_key"] = p.urlencode()
    drill, clear_drill = drill_down_filters(form, request.GET)
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "page": page,
            "base_query": base_query,
            "sort": sort,
            "sort_links": sort_links,
            "drill": drill,
            "clear_drill": clear_drill,
            **bulk_context(request.user),
        },
    )


# The list filters the dashboard's figures link with; the filter panel does not show them.
DRILL_DOWN_FIELDS = (
    "status",
    "closed_from",
    "closed_to",
    "deadline",
    "late",
    "late_from",
    "late_to",
    "satisfaction",
    "notice",
    "topic",
)


def drill_down_filters(form: forms.CaseFilterForm, query) -> tuple[list[tuple[str, str]], str]:
    """The dashboard filters in force, as (label, value) to show above the list, and the
    query string without them."""
    if not form.is_bound or not form.is_valid():
        return [], ""
    shown = []
    for name in DRILL_DOWN_FIELDS:
        value = form.cleaned_data.get(name)
        if value in (None, "", []):
            continue
        field = form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        if isinstance(value, list):
            text = "、".join(str(choices.get(v, v)) for v in value)
        elif hasattr(value, "isoformat"):
            text = value.isoformat()
        else:
            text = str(choices.get(value, value))
        shown.append((str(field.label), text))
    if not shown:
        return [], ""
    rest = query.copy()
    for name in DRILL_DOWN_FIELDS:
        rest.pop(name, None)
    return shown, rest.urlencode()


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    if not abilities.can_register_case(request.user):
        raise PermissionDenied("只有登记员、信访办和各部门信访接待员可以登记信访件。")
    visible = cases_visible_to(user=request.user)
    if request.method == "POST":
        form = forms.RegistrationForm(request.POST, request.FILES, visible_cases=visible)
        if form.is_valid():
            d = form.cleaned_data
            case, created = services.case_register(
                actor=request.user,
                petitioner=services.PetitionerData(
                    name=d["name"],
                    phone=d["phone"],
                    id_number=d["id_number"],
                    address=d["address"],
                    organisation=d["organisation"],
                    relation=d["relation"],
                ),
                data=services.CaseData(
                    channel=d["channel"],
                    kind=d["kind"],
                    received_on=d["received_on"],
                    summary=d["summary"],
                    content=d["content"],
                    source=d["source"],
                    superior_reference=d["superior_reference"],
                    superior_deadline=d["superior_deadline"],
                    topic=d["topic"],
                    gravity=d["gravity"],
                    sunshine_class=d["sunshine_class"],
                    procedure=d["procedure"],
                    complained_unit=d["complained_unit"],
                    is_group=d["is_group"],
                    group_size=d["group_size"],
                    is_over_level=d["is_over_level"],
                    is_leader_case=d["is_leader_case"],
                    leader_in_charge=d["leader_in_charge"],
                    is_repeat=d["is_repeat"],
                    repeat_of=d["repeat_of"],
                    accused_units=list(d["accused_units"]),
                    accused_people=form.accused(),
                    representatives=d["representative_list"],
                ),
                files=d["attachments"],
                submission_token=d["submission_token"],
            )
            if created:
                messages.success(request, f"已登记信访件 {case.number}。")
            else:
                messages.info(request, f"该登记表已提交过，信访件 {case.number} 只登记了一次。")
            return redirect(case)
        messages.error(request, "登记表有需要更正的地方，请查看标红的项目。已填写的内容都保留着。")
    else:
        form = forms.RegistrationForm(visible_cases=visible)
    return render(request, "cases/create.html", {"form": form})


@login_required
@require_POST
def case_similar(request: HttpRequest) -> HttpResponse:
    """htmx: earlier open cases of the same petitioner or on a similar matter."""
    found = similar_open_cases(
        user=request.user,
        name=request.POST.get("name", "").strip(),
        phone=request.POST.get("phone", "").strip(),
        id_number=request.POST.get("id_number", "").strip(),
        summary=request.POST.get("summary", "").strip(),
    )
    return render(request, "cases/_similar.html", found)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(user=request.user, pk=pk)
    services.case_log_access(case=case, user=request.user, action="查看", ip_address=client_ip(request))
    timeline = case_timeline(case=case, user=request.user)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "timeline": timeline,
            "actions": available_actions(case, request.user),
            "attachments": attachments_for(case=case, user=request.user),
            "co_units": case.co_units.all(),
            "accused_units": case.accused_units.all(),
            "accused_people": case.accused_people.select_related("user__unit"),
            "can_resolve_accused": abilities.can_resolve_accused(request.user),
            "representatives": case.representatives.all(),
            # the earlier case is named only to who may open it: a complaint repeating a
            # 举报 must not name the 举报 to the unit it accuses (《信访工作条例》第三十条)
            "repeat_of": (
                cases_visible_to(user=request.user).filter(pk=case.repeat_of_id).first() if case.repeat_of_id else None
            ),
            "can_upload": case.is_open and abilities.can_add_attachments(request.user),
            "recusals": case.recusals.select_related("user__unit", "recorded_by"),
            "can_recuse": abilities.can_recuse(request.user),
            "can_order_recusal": abilities.can_order_recusal(request.user),
            "due_badge": deadline_badges.badges_for([case.pk]).get(case.pk),
            "can_complete": services.may_complete_registration(case=case, user=request.user),
            **pages.case_page_context(request, case),
        },
    )


@login_required
@require_GET
def staff_directory(request: HttpRequest) -> JsonResponse:
    """The staff directory the 举报 registration and the office's correction pick accused
    people from (《信访工作条例》第三十条): for those who register cases and for the
    office only, and only each person's name, unit and title, never a case."""
    if not abilities.can_pick_staff(request.user):
        raise PermissionDenied("只有登记信访件的人员和信访办可以查找工作人员。")
    query = request.GET.get("q", "")[:32]
    return JsonResponse({"results": staff_search(query=query)})


@login_required
@require_http_methods(["GET", "POST"])
def accused_person_resolve(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    """核实或更正被举报人: the office says who the 举报 names, with a reason."""
    case = case_for_user(user=request.user, pk=pk)
    person = get_object_or_404(case.accused_people.select_related("user__unit"), pk=person_pk)
    if not abilities.can_resolve_accused(request.user):
        raise PermissionDenied("只有信访办可以核实或更正被举报人。")
    services.case_log_access(case=case, user=request.user, action="核实被举报人", ip_address=client_ip(request))
    bound = request.POST if request.method == "POST" else None
    form = forms.AccusedPersonResolveForm(bound, initial={"user": person.user_id})
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            services.accused_person_resolve(person=person, actor=request.user, user=d["user"], reason=d["reason"])
        except services.TransitionRefused as e:
            form.add_error(None, str(e))
        else:
            person.refresh_from_db()
            messages.success(request, f"已记录被举报人：{person.label}。")
            case.refresh_from_db()
            if case.main_unit_id in units_barred_from(case) and case.is_open:
                messages.warning(
                    request,
                    f"主办部门{case.main_unit}须回避，不能再办理本件（《信访工作条例》第三十条）：请另行拟办或报请领导改派。",
                )
            return redirect(case)
    return render(request, "cases/accused.html", {"case": case, "person": person, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def case_recuse(request: HttpRequest, pk: int) -> HttpResponse:
    """申请回避 (《信访工作条例》第二十八条第三款; 《河南省教育系统信访工作责任制实施细则》
    第九条): the person steps aside with a reason, and the case leaves their scope at once:
    they land on the workbench. The same form sent twice (a double click) finds the
    first recusal and says so, rather than a 404."""
    if request.method == "POST" and Recusal.objects.filter(case_id=pk, user=request.user).exists():
        messages.info(request, "您已回避该信访件，无需再次申请。")
        return redirect("cases:workbench")
    case = case_for_user(user=request.user, pk=pk)
    if not abilities.can_recuse(request.user):
        raise PermissionDenied("您无权对该信访件申请回避。")
    services.case_log_access(case=case, user=request.user, action="申请回避", ip_address=client_ip(request))
    form = forms.RecusalForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            recusal, _created = services.case_recuse(
                case=case, user=request.user, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.TransitionRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                f"已记录您的回避（{recusal.get_kind_display()}）：信访件 {case.number} 不再由您查看和办理，"
                "信访办可在办理过程中查看回避记录。",
            )
            return redirect("cases:workbench")
    return render(request, "cases/recuse.html", {"case": case, "form": form, "ordering": False})


@login_required
@require_http_methods(["GET", "POST"])
def case_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """补全登记: the registrar (or the office) adds the petitioner's contact details the
    registration left out, before the case goes to a unit; what they typed stays on an
    error."""
    case = case_for_user(user=request.user, pk=pk)
    if not services.may_complete_registration(case=case, user=request.user):
        raise PermissionDenied("只有登记人和信访办可以在交办前补全登记。")
    form = forms.CompletionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            filled = services.case_complete_registration(case=case, actor=request.user, values=form.cleaned_data)
        except services.TransitionRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已补全信访人的{'、'.join(filled)}。")
            return redirect(case)
    person = case.petitioner
    missing = [label for field, label in services.COMPLETION_FIELDS.items() if not getattr(person, field)]
    return render(request, "cases/complete.html", {"case": case, "form": form, "missing": missing})


@login_required
@require_http_methods(["GET", "POST"])
def case_recusal_order(request: HttpRequest, pk: int) -> HttpResponse:
    """信访办决定回避: the office names a member of staff who must keep out of the case
    (《信访工作条例》第二十八条第三款), with a reason."""
    case = case_for_user(user=request.user, pk=pk)
    if not abilities.can_order_recusal(request.user):
        raise PermissionDenied("只有信访办可以决定工作人员回避。")
    services.case_log_access(case=case, user=request.user, action="决定回避", ip_address=client_ip(request))
    form = forms.RecusalOrderForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            recusal, created = services.case_recuse(case=case, user=d["user"], actor=request.user, reason=d["reason"])
        except services.TransitionRefused as e:
            form.add_error(None, str(e))
        else:
            who = d["user"].display_name
            if not created:
                messages.info(request, f"{who}此前已回避本件（{recusal.get_kind_display()}），未重复记录。")
            else:
                messages.success(request, f"已记录：{who}回避信访件 {case.number}，不再查看和办理本件。")
            if d["user"].pk == request.user.pk:
                return redirect("cases:workbench")
            return redirect(case)
    recusals = case.recusals.select_related("user__unit", "recorded_by")
    return render(request, "cases/recuse.html", {"case": case, "form": form, "ordering": True, "recusals": recusals})


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, uuid) -> FileResponse:
    case = case_for_user(user=request.user, pk=pk)
    attachment = get_object_or_404(attachments_for(case=case, user=request.user), uuid=uuid)
    services.case_log_access(case=case, user=request.user, action="下载附件", ip_address=client_ip(request))
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(user=request.user, pk=pk)
    if not abilities.can_add_attachments(request.user):
        raise PermissionDenied("您无权为该信访件上传附件。")
    field = forms.MultipleFileField(required=True, error_messages={"required": "请选择要上传的文件。"})
    try:
        files = field.clean(request.FILES.getlist("attachments"))
        services.case_add_attachments(case=case, actor=request.user, files=files)
    except forms.ValidationError as e:
        for msg in e.messages:
            messages.error(request, msg)
    except services.TransitionRefused as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"已上传 {len(files)} 个附件。")
    return redirect(case)


@login_required
@require_GET
def unit_overview(request: HttpRequest) -> HttpResponse:
    """The unit head's view: the unit's cases by state, and the open ones."""
    user = request.user
    if not abilities.can_view_unit_overview(user):
        raise Http404
    qs = cases_visible_to(user=user).filter(main_unit_id=user.unit_id)
    by_state = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    states = [(s, s.label, by_state.get(s.value, 0)) for s in State if by_state.get(s.value)]
    open_cases = (
        qs.filter(state__in=(State.ASSIGNED, State.HANDLING, State.UNIT_REVIEW, State.LEADER_REVIEW))
        .select_related("petitioner")
        .order_by("due_date", "registered_at")[:200]
    )
    registered_here = (
        cases_visible_to(user=user)
        .filter(registered_unit_id=user.unit_id)
        .select_related("petitioner", "main_unit")
        .order_by("-registered_at")[:50]
    )
    co_cases = (
        cases_visible_to(user=user)
        .filter(co_units=user.unit_id)
        .exclude(main_unit_id=user.unit_id)
        .select_related("main_unit")
        .order_by("-registered_at")[:50]
    )
    list_url = reverse("cases:list") + f"?unit={user.unit_id}"
    return render(
        request,
        "cases/unit.html",
        {
            "unit": user.unit,
            "states": states,
            "open_cases": open_cases,
            "co_cases": co_cases,
            "registered_here": registered_here,
            "list_url": list_url,
            "total": sum(by_state.values()),
        },
    )


# --- cases from above: 异议 and 复函 (条例 第23条; seed 000 §四.6(2)) ----------------------

SUPERIOR_STEPS = {
    # step: (form, label, service call)
    "objection": (
        forms.ObjectionForm,
        "提出异议",
        lambda c, u, d: services.case_file_objection(case=c, actor=u, reasons=d["reasons"]),
    ),
    "objection-answer": (
        forms.ObjectionAnswerForm,
        "记录上级答复",
        lambda c, u, d: services.case_record_objection_answer(
            case=c, actor=u, agreed=d["answer"] == "agreed", answered_on=d["answered_on"], note=d["note"]
        ),
    ),
    "reply-draft": (
        forms.SuperiorReplyDraftForm,
        "起草复函",
        lambda c, u, d: services.superior_reply_draft(case=c, actor=u, text=d["text"]),
    ),
    "reply-check": (
        forms.ReviewForm,
        "审核复函",
        lambda c, u, d: services.superior_reply_check(
            case=c, actor=u, approve=d["decision"] == "approve", reason=d["reason"]
        ),
    ),
    "reply-settle": (
        forms.ReviewForm,
        "审定复函",
        lambda c, u, d: services.superior_reply_settle(
            case=c, actor=u, approve=d["decision"] == "approve", reason=d["reason"]
        ),
    ),
    "reply-send": (
        forms.SuperiorReplySendForm,
        "报送复函",
        lambda c, u, d: services.superior_reply_send(case=c, actor=u, sent_on=d["sent_on"]),
    ),
}


def superior_steps_for(case, user) -> list[str]:
    """The 异议/复函 steps `user` may take on `case` now."""
    if not case.is_handed_down:
        return []
    steps = []
    office = abilities.can_run_intake(user)
    pending = case.objections.filter(answer="pending").exists()
    if office and case.is_open and case.state not in REPLIED_STATES and not pending:
        steps.append("objection")
    if office and pending:
        steps.append("objection-answer")
    status = {r.status for r in case.superior_replies.all()}
    if abilities.can_draft_superior_reply(user, case) and not status & {"checked", "settled"}:
        steps.append("reply-draft")
    if office and "draft" in status:
        steps.append("reply-check")
    if "checked" in status and abilities.can_settle_superior_reply(user, case):
        steps.append("reply-settle")
    if office and "settled" in status:
        steps.append("reply-send")
    return steps


@login_required
@require_http_methods(["GET", "POST"])
def case_superior(request: HttpRequest, pk: int, step: str = "") -> HttpResponse:
    """The handed-down case's 异议 and 复函: what was done, and the forms the user may use."""
    case = case_for_user(user=request.user, pk=pk)
    if not case.is_handed_down:
        raise Http404
    allowed = superior_steps_for(case, request.user)
    bound = None
    if request.method == "POST":
        if step not in SUPERIOR_STEPS:
            raise Http404
        form_class, label, run = SUPERIOR_STEPS[step]
        bound = form_class(request.POST)
        if step not in allowed:
            messages.error(request, f"您现在不能“{label}”。")
            return redirect("cases:superior", pk=case.pk)
        if bound.is_valid():
            try:
                run(case, request.user, bound.cleaned_data)
            except services.TransitionRefused as e:
                bound.add_error(None, str(e))
            else:
                messages.success(request, f"已{label}：{case.number}。")
                return redirect("cases:superior", pk=case.pk)
    current = {"draft": None, "checked": None, "settled": None}
    for r in case.superior_replies.all():
        if r.status in current:
            current[r.status] = r
    panels = []
    for key in allowed:
        form_class, label, _run = SUPERIOR_STEPS[key]
        form = bound if (bound is not None and key == step) else form_class()
        if key == "reply-draft" and current["draft"] is not None and form is not bound:
            form = form_class(initial={"text": current["draft"].text})
        panels.append({"key": key, "label": label, "form": form})
    return render(
        request,
        "cases/superior.html",
        {
            "case": case,
            "objections": case.objections.select_related("filed_by", "answered_by"),
            "replies": case.superior_replies.prefetch_related("steps__user"),
            "objection_due": services.objection_due_date(case),
            "panels": panels,
        },
    )


# --- 常用查询 -------------------------------------------------------------------------


@login_required
@require_GET
def saved_menu(request: HttpRequest) -> HttpResponse:
    """The menu's 常用查询, each with how many cases it finds for the reader now (loaded
    when the menu is first opened, so that no page waits for the counts)."""
    rows = []
    for search in saved.searches_for(request.user)[: saved.MAX_PER_PERSON + 10]:
        counted = saved.count_for(request.user, search)
        rows.append((search, counted))
    return render(request, "cases/_saved_menu.html", {"rows": rows})


@login_required
@require_POST
def saved_create(request: HttpRequest) -> HttpResponse:
    """保存为常用查询, from the case list: the list's current query under a name."""
    query = request.POST.get("query", "")
    back = f"{reverse('cases:list')}?{query}"
    try:
        search = saved.saved_search_create(
            user=request.user,
            name=request.POST.get("name", ""),
            params=QueryDict(query),
            shared=request.POST.get("shared") == "on",
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(back)
    messages.success(request, f"已保存常用查询“{search.name}”{'，全体可用' if search.shared else ''}。")
    return redirect(search)


@login_required
@require_POST
def saved_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(saved.searches_for(request.user), pk=pk)
    saved.saved_search_delete(user=request.user, search=search)
    messages.success(request, f"已删除常用查询“{search.name}”。")
    return redirect("cases:list")


# --- 常用语 ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def phrase_list(request: HttpRequest) -> HttpResponse:
    """A person's 常用语, their unit's (kept by its head) and the school's; add one here."""
    typed = {"use": request.POST.get("use", ""), "text": request.POST.get("text", ""), "for_unit": False}
    error = ""
    if request.method == "POST":
        typed["for_unit"] = request.POST.get("for_unit") == "on"
        try:
            phrases.phrase_add(user=request.user, use=typed["use"], text=typed["text"], for_unit=typed["for_unit"])
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, "已添加常用语。")
            return redirect("cases:phrases")
    rows = list(phrases.phrases_for(request.user).select_related("unit"))
    return render(
        request,
        "cases/phrases.html",
        {
            "rows": rows,
            "uses": phrases.Use.choices,
            "typed": typed,
            "error": error,
            "may_keep_for_unit": phrases.may_keep_for_unit(request.user),
        },
    )


@login_required
@require_POST
def phrase_delete(request: HttpRequest, pk: int) -> HttpResponse:
    phrase = get_object_or_404(phrases.phrases_for(request.user), pk=pk)
    phrases.phrase_delete(user=request.user, phrase=phrase)
    messages.success(request, "已删除常用语。")
    return redirect("cases:phrases")


# --- 批量办理 ---------------------------------------------------------------------------


def _ids(request: HttpRequest) -> list[int]:
    return list(dict.fromkeys(int(i) for i in request.POST.getlist("ids") if i.isdigit()))


@login_required
@require_http_methods(["GET", "POST"])
def bulk_action(request: HttpRequest) -> HttpResponse:
    """批量办理: the rows ticked in the case list or a queue, one step for all of them.
    First the step's form (the same as for one case), then a result line per case; the
    results are shown after a redirect, so a reload runs nothing twice."""
    if request.method == "GET":
        results = request.session.pop("bulk_results", None)
        if results is None:
            return redirect("cases:list")
        return render(request, "cases/bulk_done.html", results)
    from .actions import ACTIONS, _action_form

    key = request.POST.get("action", "")
    if key not in bulk.BULK_ACTIONS:
        messages.error(request, "请选择要批量办理的事项。")
        return redirect(request.POST.get("back") or "cases:list")
    ids = _ids(request)
    cases = bulk.chosen_cases(request.user, ids)
    if not cases:
        messages.error(request, "请先勾选要办理的信访件。")
        return redirect(request.POST.get("back") or "cases:list")
    spec = ACTIONS[key]
    sample = next((c for c in cases if not c.is_protected), cases[0])
    form = _action_form(spec, sample, request.POST if request.POST.get("confirm") else None)
    if form.is_bound and form.is_valid():
        results = bulk.run(user=request.user, action=key, ids=[c.pk for c in cases], data=form.cleaned_data)
        request.session["bulk_results"] = {
            "label": spec.label,
            "results": [r.__dict__ for r in results],
            "done": sum(r.ok for r in results),
            "failed": sum(not r.ok for r in results),
        }
        return redirect("cases:bulk")
    phrases.attach(form, request.user)
    return render(
        request,
        "cases/bulk.html",
        {"form": form, "action": spec, "action_key": key, "cases": cases, "back": request.POST.get("back", "")},
        status=400 if form.errors else 200,
    )
