"""Document (文书) pages: draft, preview, issue, download and reprint, and delivery.

Both load the case through the scoped selector (404 out of scope) and log the access to a
protected case. A download serves the bytes kept when the document was issued: that is
the reprint, the same document as sent.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.selectors import case_for_user
from cases.services import case_log_access
from core.security import client_ip
from deadlines.clocks import Extension

from . import services as documents
from .forms import DeliveryForm, DraftForm
from .models import DocumentKind
from .selectors import documents_for


def _named(request: HttpRequest, name: str) -> int | None:
    """The pk a form field (or query parameter) names; 404 when it is not a number."""
    raw = request.POST.get(name) or request.GET.get(name)
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


def _subject(request: HttpRequest, kind: str, case):
    """The record a kind's document is about (a 督办通知书's notice), if the page names one:
    it must be on this case, or the answer is 404."""
    hook = documents.subject_for(kind)
    pk = _named(request, hook.field) if hook else None
    if pk is None:
        return None
    record = hook.lookup(case, pk)
    if record is None:
        raise Http404
    return record


@login_required
@require_POST
def document_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Draft one document (issue 12 point 11): the office any kind that fits the case now;
    the clerk the 信访登记表 of a case the clerk registered. The draft page edits, previews
    and issues it."""
    case = case_for_user(user=request.user, pk=pk)
    if kind not in DocumentKind.values:
        raise Http404
    case_log_access(case=case, user=request.user, action="起草文书", ip_address=client_ip(request))
    subject = _subject(request, kind, case)
    extension_pk = _named(request, "extension")
    extension = get_object_or_404(Extension, pk=extension_pk, clock__case=case) if extension_pk else None
    try:
        document = documents.document_draft(
            case=case, kind=kind, actor=request.user, subject=subject, extension=extension
        )
    except documents.DocumentRefused as e:
        messages.error(request, str(e))
        return redirect(case)
    return redirect("documents:draft", pk=case.pk, doc_pk=document.pk)


def _draft(request: HttpRequest, pk: int, doc_pk: int):
    """The case (scoped: 404) and one of its documents the user may draft."""
    case = case_for_user(user=request.user, pk=pk)
    document = get_object_or_404(documents_for(case=case, user=request.user), pk=doc_pk)
    if not documents.may_issue(request.user, document.kind):
        raise PermissionDenied(f"只有信访办可以制作{document.get_kind_display()}。")
    return case, document


@login_required
@require_http_methods(["GET", "POST"])
def document_draft(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """A draft: its text (保存), its PDF preview marked 草稿, and 签发, which saves the text
    and takes the number. A second 签发 (a double click) finds it issued: no new number."""
    case, document = _draft(request, pk, doc_pk)
    if not document.is_draft:
        messages.info(request, f"{document.get_kind_display()}已签发，文号{document.number}。")
        return redirect(case)
    editable = document.kind in documents.EDITABLE_KINDS
    form = DraftForm(request.POST or None, initial={"text": document.text}) if editable else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is not None:
                document = documents.draft_update(document=document, actor=request.user, text=form.cleaned_data["text"])
            if request.POST.get("action") == "issue":
                document = documents.draft_issue(document=document, actor=request.user)
                case_log_access(case=case, user=request.user, action="制作文书", ip_address=client_ip(request))
                messages.success(request, f"已签发{document.get_kind_display()}，文号{document.number}。")
                return redirect(case)
        except documents.DocumentRefused as e:
            if form is None:
                messages.error(request, str(e))
                return redirect(case)
            form.add_error(None, str(e))
        else:
            messages.success(request, "草稿已保存。")
            return redirect("documents:draft", pk=case.pk, doc_pk=document.pk)
    return render(request, "documents/draft.html", {"case": case, "document": document, "form": form})


@login_required
@require_GET
def document_preview(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """The draft as PDF, marked 草稿, with no number."""
    case, document = _draft(request, pk, doc_pk)
    if not document.is_draft:
        return redirect("documents:download", pk=case.pk, doc_pk=document.pk)
    response = HttpResponse(documents.draft_preview(document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"{case.number} {document.get_kind_display()}（草稿）.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_discard(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """An abandoned draft goes; it took no number."""
    case, document = _draft(request, pk, doc_pk)
    try:
        documents.draft_discard(document=document, actor=request.user)
    except documents.DocumentRefused as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"已删除{document.get_kind_display()}草稿。")
    return redirect(case)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """The stored PDF, byte for byte as issued (下载/重印)."""
    case = case_for_user(user=request.user, pk=pk)
    document = get_object_or_404(documents_for(case=case, user=request.user).select_related("case"), pk=doc_pk)
    if document.is_draft:
        return redirect("documents:draft", pk=case.pk, doc_pk=document.pk)
    case_log_access(case=case, user=request.user, action="下载文书", ip_address=client_ip(request))
    try:
        content = documents.document_content(document)
    except documents.DocumentDamaged as e:
        messages.error(request, str(e))
        return redirect(case)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, documents.download_name(document))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delivery_new(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """Record a delivery (送达) of a document to the petitioner. The case page's 文书 card
    posts here; a refused form comes back on this page with what was typed."""
    case = case_for_user(user=request.user, pk=pk)
    document = get_object_or_404(documents_for(case=case, user=request.user), pk=doc_pk)
    if not documents.owes_delivery(document):
        raise Http404
    if not documents.may_issue(request.user, document.kind):
        raise PermissionDenied("只有信访办可以登记文书送达。")
    form = DeliveryForm(request.POST or None, request.FILES or None, document=document)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            delivery = documents.delivery_record(
                document=document,
                actor=request.user,
                way=d["way"],
                delivered_on=d["delivered_on"],
                tracking_number=d["tracking_number"],
                proof=d["proof"],
                note=d["note"],
            )
        except documents.DeliveryRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                f"已登记{document.get_kind_display()}送达：{delivery.get_way_display()}，"
                f"{delivery.delivered_on:%Y-%m-%d}。",
            )
            return redirect(case)
    return render(request, "documents/delivery_form.html", {"case": case, "document": document, "form": form})
