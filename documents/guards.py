"""The archive guard (issue 12 point 11): a case is filed only once its answer has reached
the petitioner in writing. Registered with cases.guards from DocumentsConfig.ready()."""

from __future__ import annotations

from cases.models import Case
from deadlines.services import petitioner_known

from .models import Delivery, Document, DocumentKind

# The document that answers the petitioner, by the procedure the matter takes
# (《信访工作条例》第二十九条 to 第三十二条): the 信访处理意见书 in the ordinary procedure, the
# 建议意见答复函 for a 建议意见类 matter, the 法定途径告知书 for one routed to its statutory
# procedure. `procedure` is read with a default for cases from before the field.
ANSWER_KINDS: dict[str, str] = {
    "petition": DocumentKind.OPINION,
    "suggestion": DocumentKind.SUGGESTION_REPLY,
    "statutory": DocumentKind.STATUTORY_ROUTE,
}


# A dispute that ends in a 调解 or 和解 (outcome) is answered by the agreement itself: the
# 调解协议书 or 和解协议书 the parties signed, not a 信访处理意见书 with a 第三十二条 clause.
AGREEMENT_KINDS: dict[str, str] = {
    "mediation": DocumentKind.MEDIATION,
    "settlement": DocumentKind.SETTLEMENT,
}


def answer_kind(case: Case) -> DocumentKind:
    """The written answer the case owes the petitioner: the agreement for a dispute settled
    by one, otherwise the procedure's letter."""
    agreement = AGREEMENT_KINDS.get(getattr(case, "outcome", "") or "")
    if agreement is not None:
        return DocumentKind(agreement)
    return DocumentKind(ANSWER_KINDS.get(getattr(case, "procedure", "") or "petition", DocumentKind.OPINION))


def delivery_owed(case: Case) -> bool:
    """Whether the petitioner can be answered in writing at all. 《信访工作条例》第二十三条
    excepts the petitioner whose name or address is unclear ("信访人的姓名（名称）、住址不清的
    除外"): an anonymous petitioner (no real name), or one with no address, phone or e-mail
    to deliver to, is owed no delivery, and the case may be filed without one. The same
    test as the 受理告知 clock's (deadlines.services.petitioner_known), so the two never
    disagree about one petitioner."""
    return petitioner_known(case)


def archive_refusal(case: Case) -> str | None:
    """归档 waits until the answer document has been issued and delivered to the petitioner
    (《信访工作条例》第三十二条: the reply is given in writing; 第三十五条 counts the 复查
    window from its receipt), unless no delivery is owed (第二十三条's exception)."""
    if not delivery_owed(case):
        return None
    kind = answer_kind(case)
    issued = Document.objects.issued().filter(case=case, kind=kind).order_by("issued_at", "pk")
    document = issued.last()
    if document is None:
        return f"该信访件的{kind.label}尚未签发，不能归档：须签发{kind.label}并送达信访人后才能归档。"
    if not Delivery.objects.filter(document__in=issued).exists():
        return f"{kind.label} {document.number} 尚未送达信访人，不能归档：请先在“文书”中登记送达（方式、日期、凭证）。"
    return None
