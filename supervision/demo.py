"""Demo supervision: notices at several stages, a 不满意 review and a 复查 request, made
through the same services as the pages."""

from __future__ import annotations

from django.utils import timezone

from cases.models import Case, ContactMethod, Satisfaction, State
from documents.demo import deliver_answer

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
    archived = Case.objects.filter(state=State.ARCHIVED).order_by("pk").first()
    if archived is not None:
        from cases.services import case_follow_up

        case_follow_up(
            case=archived,
            actor=office,
            satisfaction=Satisfaction.DISSATISFIED,
            method=ContactMethod.PHONE,
            comment="信访人认为答复未解决实际问题。",
        )
    replied = Case.objects.filter(state=State.REPLIED).order_by("pk").first()
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
