"""Documents (文书) as PDF: the 信访登记表 (seed 000 附件1) and the letters the seeds and the
条例 require (DOMAIN.md "Ledger and forms"), rendered by WeasyPrint from the templates
under templates/documents/pdf/.

Each issued document takes the next number of its kind and year, and its exact bytes are
kept on the case (`Document`): a reprint serves those bytes, never a new rendering, so
what is printed again is what was sent, even after the case or a template has changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import unescape
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template import Context as TemplateContext
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from django.utils import timezone

from cases.attachments import check_upload
from cases.models import Case, Outcome, Source, State, flag_choices
from cases.services import case_note, case_notify
from core.days import day_start
from core.pdf import render_pdf
from deadlines.clocks import DeadlineRule, Event, Extension
from deadlines.services import TRANSITION_EVENTS, on_case_event
from people.models import User

from . import abilities
from .guards import AGREEMENT_KINDS
from .models import Delivery, DeliveryWay, Document, DocumentKind, DocumentNumberSequence


class DocumentRefused(Exception):
    """A document that does not fit the case now; the message is for the user, in Chinese."""


class DeliveryRefused(Exception):
    """A delivery record that cannot be kept as given; the message is for the user, in Chinese."""


class DocumentDamaged(Exception):
    """The stored file is missing or no longer matches the checksum taken when it was issued."""


# The short prefix in each kind's number: 〔2026〕信登第0001号.
PREFIXES: dict[str, str] = {
    DocumentKind.REGISTRATION: "信登",
    DocumentKind.ACCEPTANCE: "信受",
    DocumentKind.REJECTION: "信不受",
    DocumentKind.EXTENSION: "信延",
    DocumentKind.OPINION: "信处",
    DocumentKind.SUPERVISION: "信督",
    DocumentKind.REPLY_TO_SUPERIOR: "信复",
    DocumentKind.FORWARD: "信转",
    DocumentKind.SUGGESTION_REPLY: "信建复",
    DocumentKind.STATUTORY_ROUTE: "信法",
    DocumentKind.MEDIATION: "信调",
    DocumentKind.SETTLEMENT: "信和",
    DocumentKind.URGENT_REPORT: "信急",
    DocumentKind.REVIEW_OPINION: "信复查",
    DocumentKind.REREVIEW_OPINION: "信复核",
}

# Where a 复函 goes: the body behind each source a case can be handed down from
# (seed 000 §四.1, §四.6(2)).
SUPERIOR_BODIES: dict[str, str] = {
    Source.HOTLINE_12345: "12345政务服务热线",
    Source.PROVINCE_SYSTEM: "省信访工作机构",
    Source.CITY_EDUCATION: "市教育局",
    Source.SUNSHINE: "教育阳光服务中心",
}

# 条例 第32条: the clause behind each outcome, as the 信访处理意见书 cites it.
OUTCOME_CLAUSES: dict[str, tuple[str, str]] = {
    Outcome.SUPPORT: ("（一）", "请求事实清楚，符合法律、法规、规章或者其他有关规定，予以支持"),
    Outcome.EXPLAIN: ("（二）", "请求事由合理但缺乏法律依据，作出解释说明"),
    Outcome.NOT_SUPPORT: ("（三）", "请求缺乏事实根据或者不符合法律、法规、规章或者其他有关规定，不予支持"),
}

# --- rendering ------------------------------------------------------------------------


def template_for(kind: str) -> str:
    return f"documents/pdf/{kind.replace('-', '_')}.html"


# --- which documents fit a case now ------------------------------------------------------


def may_issue(user: User | None, kind: str) -> bool:
    """The petition office issues every document; the clerk who registers a case may also
    print its 信访登记表 (seed 000 §四.1). `None` is the system (the management command)."""
    return user is None or abilities.can_issue(user, kind)


def approved_extensions(case: Case):
    return Extension.objects.filter(clock__case=case, status=Extension.Status.APPROVED).order_by("-decided_at", "-pk")


@dataclass(frozen=True)
class Subject:
    """A kind of document about a record of an app above documents: the 督办通知书 is about
    a notice, so supervision registers it (`register_subject`, from its ready()) and says
    when the kind fits a case, which record it is about, and what the template reads."""

    field: str  # the Document field that keeps the record, e.g. "notice"
    refusal: Callable[[Case], str]  # why the kind does not fit the case now ("" when it does)
    choose: Callable[[Case, Any], Any]  # the record (None: the latest); raises DocumentRefused
    lookup: Callable[[Case, int], Any]  # a record the page names, on this case, or None
    context: Callable[[Any], dict]  # what the template reads of it


_subjects: dict[str, Subject] = {}


def register_subject(kind: str, subject: Subject) -> None:
    _subjects[kind] = subject


def subject_for(kind: str) -> Subject | None:
    return _subjects.get(kind)


def refusal(case: Case, kind: str) -> str:
    """Why `kind` does not fit `case` in its present state ("" when it does). The case
    page's 文书 card offers a kind on the same fields."""
    state = case.get_state_display()
    if kind == DocumentKind.REGISTRATION:
        return ""
    if kind == DocumentKind.ACCEPTANCE:
        if case.accepted_at is None:
            return f"该信访件尚未受理（当前状态“{state}”），不能制作受理告知书。"
        return ""
    if kind == DocumentKind.REJECTION:
        if case.state != State.NOT_ACCEPTED:
            return f"只有决定不予受理的信访件才能制作不予受理告知书，该件当前状态为“{state}”。"
        return ""
    if kind == DocumentKind.EXTENSION:
        if not approved_extensions(case).exists():
            return "该信访件没有已批准的延期，不能制作延期办理告知书（《信访工作条例》第三十四条）。"
        return ""
    if kind == DocumentKind.OPINION:
        if _procedure(case) == "suggestion":
            return "建议意见类事项以建议意见答复函答复，不制作信访处理意见书（《信访工作条例》第二十九条）。"
        if case.outcome in AGREEMENT_KINDS:
            agreement = DocumentKind(AGREEMENT_KINDS[case.outcome]).label
            return f"该件以{agreement[:2]}结案，以双方签订的{agreement}答复信访人，不制作信访处理意见书。"
        if not case.outcome or case.replied_at is None:
            return (
                f"该信访件尚未答复（当前状态“{state}”），不能制作信访处理意见书："
                "须有结案报告和处理结果（支持、解释说明或不予支持）并已答复（《信访工作条例》第三十二条）。"
            )
        return ""
    if kind in _subjects:
        return _subjects[kind].refusal(case)
    if kind == DocumentKind.REPLY_TO_SUPERIOR:
        if case.source == Source.SELF:
            return "该信访件不是上级交办件，无需向上级机关复函。"
        if case.replied_at is None:
            return f"该交办件尚未办理答复（当前状态“{state}”），不能制作复函。"
        if case.latest_superior_reply is None:
            return (
                "复函尚未经领导审定，不能制作复函文书：须由承办部门起草、信访办审核、分管院领导"
                "（重大事项由主要领导）审定（《湖南信息职业技术学院信访工作实施方案》四、6（2））。"
            )
        return ""
    return _refusal_of_new_kinds(case, kind, state)


def _procedure(case: Case) -> str:
    return getattr(case, "procedure", "") or "petition"


def _refusal_of_new_kinds(case: Case, kind: str, state: str) -> str:
    """The kinds of issue 12 (points 3, 8, 9)."""
    if kind == DocumentKind.FORWARD:
        if case.state != State.FORWARDED or not case.forwarded_to:
            return f"该信访件未转送其他机关（当前状态“{state}”），不能制作转送告知书（《信访工作条例》第二十三条）。"
        return ""
    if kind == DocumentKind.SUGGESTION_REPLY:
        if _procedure(case) != "suggestion":
            return "只有建议意见类事项才以建议意见答复函答复（《信访工作条例》第二十九条）。"
        if case.replied_at is None or not getattr(case, "adoption", ""):
            return f"该建议尚未研究答复（当前状态“{state}”），须有研究结果和采纳情况后才能制作建议意见答复函。"
        return ""
    if kind == DocumentKind.STATUTORY_ROUTE:
        if _procedure(case) != "statutory" or not getattr(case, "statutory_route", ""):
            return "该信访件未导入法定途径，不能制作法定途径告知书（《信访工作条例》第三十一条）。"
        return ""
    if kind in (DocumentKind.MEDIATION, DocumentKind.SETTLEMENT):
        # a dispute settled while it is handled, or answered with that outcome (第三十一条)
        if case.state != State.HANDLING and case.outcome != kind:
            label = DocumentKind(kind).label
            return f"{label}只在承办中或以{label[:2]}结案的信访件上制作（当前状态“{state}”）。"
        return ""
    if kind == DocumentKind.URGENT_REPORT:
        if not (case.is_major or case.is_group):
            return "只有重大、紧急事项或集体访才报送紧急信访信息报告（《信访工作条例》第二十五条）。"
        return ""
    return "未知的文书类别。"


def issuable_kinds(case: Case, user: User) -> list[str]:
    """The kinds `user` may issue on `case` now."""
    return [k for k in DocumentKind.values if may_issue(user, k) and not refusal(case, k)]


# --- numbering -------------------------------------------------------------------------


def format_number(kind: str, year: int, sequence: int) -> str:
    return f"〔{year}〕{PREFIXES[kind]}第{sequence:04d}号"


def next_document_number(*, kind: str, year: int) -> tuple[int, str]:
    """The next number of `kind` in `year`. The sequence row stays locked until the caller's
    transaction ends, so two offices issuing at once get consecutive numbers, and a
    document that fails to render gives its number back."""
    sequence, _ = DocumentNumberSequence.objects.select_for_update().get_or_create(kind=kind, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last, format_number(kind, year, sequence.last)


# --- drafting and issuing ----------------------------------------------------------------

# The kinds whose text the office edits in the draft: the letters. The 信访登记表 is a form
# of the case's facts and is printed as it stands.
EDITABLE_KINDS: frozenset[str] = frozenset(k for k in DocumentKind.values if k != DocumentKind.REGISTRATION)

# Where a draft's preview has its number: it takes one only when issued.
DRAFT_NUMBER = "（草稿，签发时编号）"

_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def _checked_kind(kind: str, actor: User | None) -> DocumentKind:
    if kind not in DocumentKind.values:
        raise DocumentRefused("未知的文书类别。")
    kind = DocumentKind(kind)
    if not may_issue(actor, kind):
        who = "登记员和信访办" if kind == DocumentKind.REGISTRATION else "信访办"
        raise PermissionDenied(f"只有{who}可以制作{kind.label}。")
    return kind


def _subject_of(document: Document):
    hook = _subjects.get(document.kind)
    return getattr(document, hook.field) if hook else None


@transaction.atomic
def document_draft(
    *,
    case: Case,
    kind: str,
    actor: User | None,
    subject: Any = None,
    extension: Extension | None = None,
) -> Document:
    """A draft of `kind` on `case`, its text prefilled from what the kind's template says
    of the case now; it has no number until it is issued (issue 12 point 11). An open
    draft of the same kind (and notice, extension) is returned rather than a second one.

    `subject` (the notice of a 督办通知书) and `extension` (延期办理告知书) default to the
    case's latest."""
    kind = _checked_kind(kind, actor)
    case = Case.objects.select_for_update().get(pk=case.pk)
    reason = refusal(case, kind)
    if reason:
        raise DocumentRefused(reason)
    hook = _subjects.get(kind)
    subject = hook.choose(case, subject) if hook else None
    extension = _extension_for(case, extension) if kind == DocumentKind.EXTENSION else None
    about = {hook.field: subject} if hook else {}
    existing = Document.objects.drafts().filter(case=case, kind=kind, extension=extension, **about).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    text = ""
    if kind in EDITABLE_KINDS:
        context = document_context(case, kind, number="", issued_on=today, subject=subject, extension=extension)
        text = compose_text(kind, context)
    return Document.objects.create(
        case=case,
        kind=kind,
        status=Document.Status.DRAFT,
        text=text,
        year=today.year,
        extension=extension,
        created_by=actor,
        **about,
    )


@transaction.atomic
def draft_update(*, document: Document, actor: User | None, text: str) -> Document:
    """The office's own wording of a draft; an issued document is never changed."""
    _checked_kind(document.kind, actor)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not document.is_draft:
        raise DocumentRefused(f"{document.get_kind_display()} {document.number} 已签发，不能再修改。")
    if document.kind in EDITABLE_KINDS:
        text = (text or "").replace("\r\n", "\n").strip()
        if not text:
            raise DocumentRefused("正文不能为空。")
        document.text = text
        document.save(update_fields=["text"])
    return document


@transaction.atomic
def draft_discard(*, document: Document, actor: User | None) -> None:
    """An abandoned draft goes; it never took a number, so the numbers have no gap."""
    _checked_kind(document.kind, actor)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not document.is_draft:
        raise DocumentRefused(f"{document.get_kind_display()} {document.number} 已签发，不能删除。")
    document.delete()


def draft_preview(document: Document) -> bytes:
    """The draft as PDF, marked 草稿 and with no number: what issuing will print."""
    return render_document(document, number=DRAFT_NUMBER, issued_on=timezone.localdate(), draft=True)


def render_document(document: Document, *, number: str, issued_on: date, draft: bool) -> bytes:
    context = document_context(
        document.case,
        document.kind,
        number=number,
        issued_on=issued_on,
        subject=_subject_of(document),
        extension=document.extension,
    )
    context["draft"] = draft
    if document.kind in EDITABLE_KINDS:
        context["paragraphs"] = text_paragraphs(document.text)
        return render_pdf("documents/pdf/_text.html", context)
    return render_pdf(template_for(document.kind), context)


@transaction.atomic
def draft_issue(*, document: Document, actor: User | None) -> Document:
    """Number, render and keep a draft as the document sent, with a note in the case
    history. A second call on the same draft (a double click) returns the document
    already issued: one document, one number.

    Issuing the 延期办理告知书 marks the extension's notice as sent. The clocks the law
    counts from the petitioner's receipt move when the document is delivered
    (`delivery_record`), not here."""
    kind = _checked_kind(document.kind, actor)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not document.is_draft:
        return document
    # The case row is held until the document is stored: its state cannot move meanwhile.
    case = Case.objects.select_for_update().get(pk=document.case_id)
    reason = refusal(case, kind)
    if reason:
        raise DocumentRefused(reason)
    extension = _extension_for(case, document.extension) if kind == DocumentKind.EXTENSION else None

    today = timezone.localdate()
    sequence, number = next_document_number(kind=kind, year=today.year)
    document.year, document.sequence, document.number = today.year, sequence, number
    pdf = render_document(document, number=number, issued_on=today, draft=False)
    document.status = Document.Status.ISSUED
    document.size = len(pdf)
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.issued_by = actor
    document.issued_at = timezone.now()
    document.file.save(f"{kind}.pdf", ContentFile(pdf), save=False)
    try:
        document.save()
        if extension is not None and extension.notice_sent_at is None:
            Extension.objects.filter(pk=extension.pk).update(notice_sent_at=timezone.now())
        case_note(case, actor, "制作文书", f"{kind.label} {number}")
        if owes_delivery(document):
            _tell_delivery_owed(case, document, actor)
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def _tell_delivery_owed(case: Case, document: Document, actor: User | None) -> None:
    """A hand-off: the office, which records deliveries, hears that a document for the
    petitioner waits to be delivered (the clocks move on its delivery, 条例 第二十三条)."""
    office = User.objects.filter(role=User.Role.OFFICE, is_active=True)
    if actor is not None:
        office = office.exclude(pk=actor.pk)
    case_notify(
        users=list(office), case=case, event=f"{document.get_kind_display()}已签发，待登记送达", prefix="【待办】"
    )


def document_issue(
    *,
    case: Case,
    kind: str,
    actor: User | None,
    subject: Any = None,
    extension: Extension | None = None,
) -> Document:
    """Draft and issue at once, with the text the template composes (the management
    command, the benchmarks): an open draft of the kind is issued as it stands."""
    with transaction.atomic():
        draft = document_draft(case=case, kind=kind, actor=actor, subject=subject, extension=extension)
        return draft_issue(document=draft, actor=actor)


# --- the text of a draft ------------------------------------------------------------------

_BLOCK = re.compile(r"<(p|h2)\b[^>]*>(.*?)</\1>", re.S)


def compose_text(kind: str, context: dict) -> str:
    """What the kind's template says, as plain text: one paragraph a line, "一、" headings
    on lines of their own. Rendered from the template's content block, so the letter the
    office edits starts as the letter the template composes."""
    # the Django backend's wrapper holds the engine's own Template, whose nodes are read
    template = get_template(template_for(kind)).template  # type: ignore[attr-defined]
    html = ""
    for node in template.nodelist.get_nodes_by_type(BlockNode):
        if node.name == "content":
            html = node.nodelist.render(TemplateContext(context, autoescape=True))
            break
    lines: list[str] = []
    for _, inner in _BLOCK.findall(html):
        for part in re.split(r"<br\s*/?>", inner):
            line = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", part))).strip()
            if line:
                lines.append(line)
    return "\n".join(lines)


def text_paragraphs(text: str) -> list[tuple[str, str]]:
    """(role, line) for each line of a draft's text: the first line ending in "：" is the
    recipient, flush left; a line starting "一、" is a heading; the rest are paragraphs."""
    out: list[tuple[str, str]] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if not out and line.endswith("："):
            out.append(("recipient", line))
        elif _HEADING.match(line):
            out.append(("heading", line))
        else:
            out.append(("p", line))
    return out


def _extension_for(case: Case, extension: Extension | None) -> Extension:
    if extension is None:
        extension = approved_extensions(case).first()
    if extension is None:
        raise DocumentRefused("该信访件没有已批准的延期，不能制作延期办理告知书（《信访工作条例》第三十四条）。")
    extension = Extension.objects.select_related("clock__rule", "decided_by").get(pk=extension.pk)
    if extension.clock.case_id != case.pk:
        raise DocumentRefused("该延期申请不属于本信访件。")
    if extension.status != Extension.Status.APPROVED:
        raise DocumentRefused(f"该延期申请{extension.get_status_display()}，不能制作延期办理告知书。")
    return extension


def document_content(document: Document) -> bytes:
    """The stored bytes of an issued document, as sent: a reprint never renders again. The
    checksum taken at issue must still match."""
    try:
        with document.file.open("rb") as f:
            content = f.read()
    except (FileNotFoundError, ValueError) as e:
        raise DocumentDamaged(f"文书文件 {document.number} 已丢失，请联系系统管理员。") from e
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise DocumentDamaged(f"文书文件 {document.number} 与制作时的校验值不符，可能已被改动，请联系系统管理员。")
    return content


def download_name(document: Document) -> str:
    return f"{document.case.number} {document.get_kind_display()}{document.number}.pdf"


# --- what each document says -----------------------------------------------------------


def document_context(
    case: Case,
    kind: str,
    *,
    number: str,
    issued_on: date,
    subject: Any = None,
    extension: Extension | None = None,
) -> dict:
    """Everything a kind's template reads. Related rows are fetched here, once."""
    case = (
        Case.objects.select_related(
            "petitioner", "topic", "registered_by", "main_unit", "approving_leader", "leader_in_charge", "repeat_of"
        )
        .prefetch_related("co_units", "accused_units", "accused_people")
        .get(pk=case.pk)
    )
    label = DocumentKind(kind).label
    context = {
        "case": case,
        "petitioner": case.petitioner,
        "kind": kind,
        "title": label,
        "number": number,
        "issued_on": issued_on,
        "organisation": settings.XINFANG_ORGANISATION,
        "issuer": settings.XINFANG_ORGANISATION,
        # a group visit is addressed in the plural
        "you": "你们" if case.is_group else "你",
    }
    if kind == DocumentKind.REGISTRATION:
        context.update(
            flags=_flags(case),
            co_units=list(case.co_units.all()),
            accused_units=list(case.accused_units.all()),
            accused_people=list(case.accused_people.all()),
        )
    elif kind == DocumentKind.ACCEPTANCE:
        context.update(accepted_on=timezone.localdate(case.accepted_at), completion=_completion_clock(case))
    elif kind == DocumentKind.EXTENSION:
        # 第三十四条: the institution's head approves; a 12345 work order's extension is
        # decided by the superior (《湖南信息职业技术学院信访工作实施方案》五（三）3), and
        # the notice names it with its reference, not the clerk who recorded the decision.
        superior = extension is not None and extension.superior_decided_on is not None
        approver = extension.decided_by if extension is not None and not superior else None
        context.update(
            extension=extension,
            superior_approval=_superior_approval(extension) if superior else "",
            approver_name=approver.display_name if approver else "",
            approver_title=approver_title(approver) if approver else "",
        )
    elif kind == DocumentKind.OPINION:
        clause, clause_text = OUTCOME_CLAUSES[case.outcome]
        context.update(
            clause=clause,
            clause_text=clause_text,
            review_body=settings.XINFANG_REVIEW_BODY,
            review_days=_rule_length("review-request", 30),
            replied_on=timezone.localdate(case.replied_at),
        )
    elif kind in _subjects:
        context.update(_subjects[kind].context(subject))
    elif kind == DocumentKind.REPLY_TO_SUPERIOR:
        reply = case.latest_superior_reply
        context.update(
            superior=SUPERIOR_BODIES.get(case.source, case.get_source_display()),
            title="关于交办信访事项办理情况的复函",
            reply_lines=[line.strip() for line in reply.text.splitlines() if line.strip()] if reply else [],
        )
    elif kind == DocumentKind.SUGGESTION_REPLY:
        adoption = getattr(case, "adoption", "")
        context.update(
            adoption=adoption,
            adoption_label=case.get_adoption_display() if adoption else "",
            replied_on=timezone.localdate(case.replied_at) if case.replied_at else issued_on,
        )
    elif kind == DocumentKind.STATUTORY_ROUTE:
        route = getattr(case, "statutory_route", "")
        context.update(
            route=case.get_statutory_route_display() if route else "",
            body=getattr(case, "statutory_body", "") or "有管辖权的机关",
        )
    elif kind == DocumentKind.URGENT_REPORT:
        context.update(
            superior=SUPERIOR_BODIES.get(case.source) or settings.XINFANG_REVIEW_BODY,
            gravity=case.get_gravity_display() if getattr(case, "gravity", "") else ("重大" if case.is_major else ""),
            title="紧急信访信息报告",
        )
    return context


def _superior_approval(extension) -> str:
    """市教育局（批复文号 JY-1，2026年12月1日）: the superior's decision as the notice cites it."""
    day = extension.superior_decided_on
    when = f"{day.year}年{day.month}月{day.day}日"
    ref = f"批复文号 {extension.superior_reference}，" if extension.superior_reference else ""
    return f"市教育局（{ref}{when}）"


def approver_title(user: User) -> str:
    """The title the 延期办理告知书 gives whoever approved the extension: 《信访工作条例》
    第三十四条 asks for the institution's head (本机关、单位负责人)."""
    if user.is_main_leader:
        return "学院主要负责人"
    if user.role == User.Role.LEADER:
        return "学院分管负责人"
    if user.unit is not None and user.role == User.Role.UNIT_HEAD:
        return f"{user.unit.name}负责人"
    return user.get_role_display()


def _flags(case: Case) -> list[str]:
    """The flags as the 登记表 prints them: how many came, who is in charge, which case
    it repeats."""
    details = {
        "is_group": f"（{case.group_size}人）" if case.group_size else "",
        "is_leader_case": f"（{case.leader_in_charge}）" if case.leader_in_charge else "",
        "is_repeat": f"（原件 {case.repeat_of.number}）" if case.repeat_of else "",
    }
    return [label + details.get(name, "") for name, label in flag_choices() if getattr(case, name)]


def _completion_clock(case: Case):
    """The completion deadline started at acceptance (60 days, or the superior's own)."""
    return case.clocks.filter(rule__slot="completion").order_by("-round", "-pk").first()


def _rule_length(code: str, default: int) -> int:
    """A period as the deadline rules hold it (rules are data, DOMAIN.md "Deadlines")."""
    return DeadlineRule.objects.filter(code=code).values_list("length", flat=True).first() or default


# --- delivery (送达) -------------------------------------------------------------------

# The event each kind's first delivery to the petitioner is to the clocks: the law counts
# from receipt (《信访工作条例》第二十三条、第三十四条、第三十五条、第三十六条), and the
# 不予受理告知书 delivered is what the 3-day written notice asks for
# (《湖南信息职业技术学院信访工作实施方案》四.2).
DELIVERY_EVENTS: dict[str, str] = {
    DocumentKind.ACCEPTANCE: Event.ACCEPTANCE_NOTICE_DELIVERED,
    DocumentKind.REJECTION: Event.NOT_ACCEPTED_NOTICE,
    DocumentKind.EXTENSION: Event.EXTENSION_NOTICE_DELIVERED,
    DocumentKind.OPINION: Event.REPLY_DELIVERED,
    DocumentKind.SUGGESTION_REPLY: Event.REPLY_DELIVERED,
    DocumentKind.FORWARD: Event.FORWARD_NOTICE_DELIVERED,
    # 第三十一条: a matter for its statutory procedure is not accepted, and the petitioner
    # is told in writing where to take it; the 法定途径告知书 is that written notice.
    DocumentKind.STATUTORY_ROUTE: Event.NOT_ACCEPTED_NOTICE,
    DocumentKind.REVIEW_OPINION: Event.REVIEW_OPINION_DELIVERED,
    DocumentKind.REREVIEW_OPINION: Event.REREVIEW_OPINION_DELIVERED,
}

# The kinds that go to the petitioner and so are delivered (the others go to a unit or a
# superior, or stay in the file).
PETITIONER_KINDS: frozenset[str] = frozenset(
    {
        *DELIVERY_EVENTS,
        DocumentKind.MEDIATION,
        DocumentKind.SETTLEMENT,
    }
)


def delivery_event(document: Document, case: Case) -> str | None:
    """The clock event a document's first delivery is. An agreement (调解/和解协议书) is the
    written answer once the case is answered with it (documents.guards.AGREEMENT_KINDS);
    signed while the case is still handled, it answers nothing yet, and the reply itself
    then counts from it (answer_already_delivered)."""
    if document.kind in AGREEMENT_KINDS.values():
        answered = case.replied_at is not None and AGREEMENT_KINDS.get(case.outcome) == document.kind
        return Event.REPLY_DELIVERED if answered else None
    return DELIVERY_EVENTS.get(document.kind)


def answer_already_delivered(sender, case: Case, name: str, **kwargs) -> None:
    """Connected to cases.signals.case_stepped after deadlines: a case answered with an
    agreement the petitioner had already signed and received has delivered its answer on
    that day (《信访工作条例》第三十五条 counts from receipt), so its 送达 clock stops there
    and no 未履行送达责任 is raised."""
    if Event.REPLIED not in TRANSITION_EVENTS.get(name, ()):
        return
    kind = AGREEMENT_KINDS.get(case.outcome or "")
    if kind is None:
        return
    first = Delivery.objects.filter(document__case=case, document__kind=kind).order_by("delivered_on", "pk").first()
    if first is not None:
        on_case_event(case, Event.REPLY_DELIVERED, at=day_start(first.delivered_on))


def owes_delivery(document: Document) -> bool:
    return document.kind in PETITIONER_KINDS and not document.is_draft


def issued_on(document: Document) -> date:
    return timezone.localdate(document.issued_at or document.created_at)


def delivery_errors(document: Document, *, way: str, delivered_on: date | None, tracking_number: str) -> dict:
    """What is wrong with a delivery as given, by field, in Chinese (empty when nothing is)."""
    errors: dict[str, str] = {}
    if way not in DeliveryWay.values:
        errors["way"] = "请选择送达方式。"
    if way == DeliveryWay.POST and not tracking_number.strip():
        errors["tracking_number"] = "邮寄送达须填写邮件单号（挂号信或快递单号），以备查询签收情况。"
    if delivered_on is not None:
        today = timezone.localdate()
        if delivered_on > today:
            errors["delivered_on"] = f"送达日期不能晚于今天（{today:%Y-%m-%d}）。"
        elif delivered_on < issued_on(document):
            errors["delivered_on"] = (
                f"送达日期不能早于文书制作日期（{issued_on(document):%Y-%m-%d}）：文书制作之前无法送达。"
            )
    return errors


@transaction.atomic
def delivery_record(
    *,
    document: Document,
    actor: User,
    way: str,
    delivered_on: date,
    tracking_number: str = "",
    proof=None,
    note: str = "",
) -> Delivery:
    """Record that `document` reached the petitioner, with a note in the case history.

    The document's first delivery is the event its clocks start or stop at, on the day
    it was delivered (`DELIVERY_EVENTS`): the 复查 window runs 30 days from receipt of the
    信访处理意见书 (《信访工作条例》第三十五条), not from its date. A later delivery of the
    same document (sent again another way) is recorded but moves no clock."""
    label = document.get_kind_display()
    if not may_issue(actor, document.kind):
        raise PermissionDenied("只有信访办可以登记文书送达。")
    if document.is_draft:
        raise DeliveryRefused(f"{label}还是草稿，签发后才能送达。")
    if not owes_delivery(document):
        raise DeliveryRefused(f"{label}不送达信访人，无需登记送达。")
    tracking_number = (tracking_number or "").strip()
    errors = delivery_errors(document, way=way, delivered_on=delivered_on, tracking_number=tracking_number)
    if errors:
        raise DeliveryRefused(" ".join(errors.values()))
    checked = None
    if proof:
        try:
            checked = check_upload(proof)
        except ValidationError as e:
            raise DeliveryRefused(" ".join(e.messages)) from e
    case = Case.objects.select_for_update().get(pk=document.case_id)
    first = not Delivery.objects.filter(document=document).exists()
    delivery = Delivery(
        document=document,
        way=way,
        delivered_on=delivered_on,
        tracking_number=tracking_number,
        note=(note or "").strip(),
        recorded_by=actor,
        proof_name=checked.name if checked else "",
        proof_type=checked.content_type if checked else "",
    )
    if checked is not None:
        delivery.proof.save(checked.name, proof, save=False)
    try:
        delivery.save()
        way_text = delivery.get_way_display() + (f"（单号 {tracking_number}）" if tracking_number else "")
        case_note(case, actor, "文书送达", f"{label} {document.number}：{way_text}，{delivered_on:%Y-%m-%d}送达")
        event = delivery_event(document, case)
        if first and event:
            on_case_event(case, event, at=day_start(delivered_on))
    except Exception:
        if delivery.proof:
            delivery.proof.delete(save=False)
        raise
    return delivery


def delivery_text(document: Document) -> str:
    """未送达, or 已送达（方式、日期） as the case page shows it."""
    deliveries = list(document.deliveries.all())
    if not deliveries:
        return "未送达"
    first = deliveries[0]
    return f"已送达（{first.get_way_display()}、{first.delivered_on:%Y-%m-%d}）"
