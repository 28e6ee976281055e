"""Demo supervision: notices at several stages, a 不满意 review and a 复查 request, made
through the same services as the pages."""

from __future__ import annotations

from django.utils import timezone

from cases.models import Case, ContactMethod, Procedure, Satisfaction, State
from documents.demo import deliver_answer
from documents.guards import answer_kind

from . import services
from .models import Trigger


def load(users: dict) -> int:
    office = users["office"]
    made = 0
    handling = list(Case.objects.filter(state=State.HANDLING, main_unit__code__in=["jwc", "jsj"]).order_by("pk"))
    if handling:
        case = handling[0]
        services.notice_raise(
            case=case,
            actor=office,
            data=services.NoticeData(
                trigger=Trigger.objects.get(code="shirking"),
                form="phone",
                requirements="请于反馈期限内书面说明办理进度，未能办结的说明原因。",
                suggestions="建立信访事项办理进度周报制度。",
            ),
        )
        made += 1
    if len(handling) > 1:
        case = handling[1]
        notice, _ = services.notice_raise(
            case=case,
            actor=office,
            data=services.NoticeData(trigger=Trigger.objects.get(code="no_reply"), form="online"),
        )
        services.notice_escalate(notice=notice, actor=office, reason="信访人多次来电反映未获答复")
        made += 2
    # the latest filed and the latest answered: the demo's cases go back two years
    archived = Case.objects.filter(state=State.ARCHIVED).order_by("-archived_at", "-pk").first()
    if archived is not None:
        from cases.services import case_follow_up

        case_follow_up(
            case=archived,
            actor=office,
            satisfaction=Satisfaction.DISSATISFIED,
            method=ContactMethod.PHONE,
            comment="信访人认为答复未解决实际问题。",
        )
    # one whose answer has not reached the petitioner yet (it is delivered today), in the
    # procedure that has a 复查 (not 建议意见类, 《信访工作条例》第二十九条)
    replied = next(
        (
            case
            for case in Case.objects.filter(state=State.REPLIED, procedure=Procedure.PETITION).order_by(
                "-replied_at", "-pk"
            )
            if not case.documents.filter(kind=answer_kind(case), deliveries__isnull=False).exists()
        ),
        None,
    )
    if replied is not None:
        # the window to ask for 复查 opens when the reply is delivered (《信访工作条例》第三十五条)
        deliver_answer(replied, office)
        services.review_request_record(
            case=replied,
            actor=office,
            stage="review",
            received_on=timezone.localdate(),
            request_text="信访人对处理意见不服，请求复查。",
            body="省教育厅",
        )
    return made
