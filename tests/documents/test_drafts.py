"""Draft first, number at issue (issue 12 point 11): a draft's text is editable and
prefilled from the kind's template, its preview PDF says 草稿 and has no number, issuing
takes the number once (a double click makes one document), abandoned drafts leave no
gap in the numbers, and the issued bytes are what a reprint serves."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from documents import services as documents
from documents.models import Document, DocumentNumberSequence
from documents.services import DocumentRefused, document_draft, draft_issue
from tests.conftest import logged_in_client
from tests.documents.test_documents import has, pdf_text, stored


@pytest.fixture
def year() -> int:
    return timezone.localdate().year


def test_a_draft_has_no_number_and_its_preview_says_draft(people, make_case, tmp_path, year):
    case = make_case("accepted", petitioner={"name": "李华"})
    draft = document_draft(case=case, kind="acceptance", actor=people["office"])
    assert (draft.status, draft.number, draft.sequence, draft.file.name) == ("draft", None, None, "")
    assert draft.text.splitlines()[0] == "李华："
    assert case.summary in draft.text and "决定受理" in draft.text
    office = logged_in_client(people["office"])
    preview = office.get(f"/cases/{case.pk}/documents/{draft.pk}/preview/")
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    text = pdf_text(preview.content, tmp_path)
    has(text, "草稿", "受理告知书", "李华：", case.summary)
    assert "信受第" not in text
    assert not DocumentNumberSequence.objects.filter(kind="acceptance").exists()
    # the case page shows the draft to the office only
    page = office.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="document-draft"' in page and f"/documents/{draft.pk}/draft/" in page
    unit_page = logged_in_client(people["head_jwc"]).get(case.get_absolute_url()).content.decode()
    assert "document-draft" not in unit_page
    assert (
        logged_in_client(people["head_jwc"]).get(f"/cases/{case.pk}/documents/{draft.pk}/preview/").status_code == 404
    )
    # drafting the same kind again opens the same draft
    assert document_draft(case=case, kind="acceptance", actor=people["office"]) == draft
    # the 登记表 is a form, not a letter: its draft has no text, and its preview says 草稿 too
    form = document_draft(case=case, kind="registration", actor=people["clerk"])
    assert form.text == ""
    has(pdf_text(documents.draft_preview(form), tmp_path), "草稿", "信访登记表", "编号：（草稿，签发时编号）")


def test_the_office_edits_the_text_and_the_issued_letter_prints_it(people, make_case, tmp_path, year):
    case = make_case("accepted", petitioner={"name": "李华"})
    office = logged_in_client(people["office"])
    url = office.post(f"/cases/{case.pk}/documents/new/acceptance/")["Location"]
    draft = Document.objects.get(case=case)
    page = office.get(url).content.decode()
    assert "李华：" in page and "签发并编号" in page  # the composed text, in the textarea
    edited = draft.text + "\n如有疑问，请致电学院信访办公室0731-12345678。"
    assert office.post(url, {"action": "save", "text": edited}).status_code == 302
    draft.refresh_from_db()
    assert draft.text == edited and draft.is_draft
    refused = office.post(url, {"action": "issue", "text": "   "})
    assert "正文不能为空" in refused.content.decode()
    assert office.post(url, {"action": "issue", "text": edited}).status_code == 302
    document = Document.objects.get(case=case)
    assert (document.status, document.number, document.issued_by) == (
        "issued",
        f"〔{year}〕信受第0001号",
        people["office"],
    )
    content = stored(document)
    text = pdf_text(content, tmp_path)
    has(text, f"〔{year}〕信受第0001号", "李华：", "如有疑问，请致电学院信访办公室0731-12345678。")
    assert "草稿" not in text
    # a reprint is the issued bytes, and an issued document is not edited again
    assert documents.document_content(document) == content
    with pytest.raises(DocumentRefused, match="已签发，不能再修改"):
        documents.draft_update(document=document, actor=people["office"], text="改写")
    note = case.history.order_by("-history_id").first()
    assert (note.transition, note.history_user, note.history_change_reason) == (
        "制作文书",
        people["office"],
        f"受理告知书 {document.number}",
    )


def test_issuing_twice_makes_one_number(people, make_case, year):
    case = make_case("accepted")
    office = logged_in_client(people["office"])
    url = office.post(f"/cases/{case.pk}/documents/new/acceptance/")["Location"]
    text = Document.objects.get(case=case).text
    first = office.post(url, {"action": "issue", "text": text})
    second = office.post(url, {"action": "issue", "text": text}, follow=True)
    assert first.status_code == 302
    assert f"受理告知书已签发，文号〔{year}〕信受第0001号" in second.content.decode()
    assert Document.objects.filter(case=case).count() == 1
    assert DocumentNumberSequence.objects.get(kind="acceptance", year=year).last == 1
    document = Document.objects.get(case=case)
    assert draft_issue(document=document, actor=people["office"]).number == document.number
    assert DocumentNumberSequence.objects.get(kind="acceptance", year=year).last == 1


def test_abandoned_drafts_leave_no_gap_in_the_numbers(people, make_case, year):
    first, second, third = make_case("accepted"), make_case("accepted"), make_case("accepted")
    office = logged_in_client(people["office"])
    abandoned = document_draft(case=first, kind="acceptance", actor=people["office"])
    kept = document_draft(case=second, kind="acceptance", actor=people["office"])
    assert office.post(f"/cases/{first.pk}/documents/{abandoned.pk}/discard/").status_code == 302
    assert not Document.objects.filter(pk=abandoned.pk).exists()
    assert draft_issue(document=kept, actor=people["office"]).number == f"〔{year}〕信受第0001号"
    left_open = document_draft(case=first, kind="acceptance", actor=people["office"])
    later = document_draft(case=third, kind="acceptance", actor=people["office"])
    assert draft_issue(document=later, actor=people["office"]).number == f"〔{year}〕信受第0002号"
    assert left_open.number is None
    # an issued document is not discarded
    kept.refresh_from_db()
    with pytest.raises(DocumentRefused, match="已签发，不能删除"):
        documents.draft_discard(document=kept, actor=people["office"])


def test_a_draft_is_not_delivered_nor_downloaded_as_issued(people, make_case):
    case = make_case("accepted")
    draft = document_draft(case=case, kind="acceptance", actor=people["office"])
    with pytest.raises(documents.DeliveryRefused, match="还是草稿"):
        documents.delivery_record(
            document=draft, actor=people["office"], way="in_person", delivered_on=timezone.localdate()
        )
    office = logged_in_client(people["office"])
    download = office.get(f"/cases/{case.pk}/documents/{draft.pk}/")
    assert download["Location"] == f"/cases/{case.pk}/documents/{draft.pk}/draft/"
    assert office.get(f"/cases/{case.pk}/documents/{draft.pk}/delivery/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_documents_made_before_drafts_existed_are_issued(reseeded, people, make_case):
    case = make_case("accepted")
    executor = MigrationExecutor(connection)
    executor.migrate([("documents", "0002_delivery")])
    old = MigrationExecutor(connection).loader.project_state([("documents", "0002_delivery")]).apps
    row = old.get_model("documents", "Document").objects.create(
        case_id=case.pk,
        kind="acceptance",
        year=2026,
        sequence=3,
        number="〔2026〕信受第0003号",
        file="documents/2026/1/acceptance-00003.pdf",
        size=10,
        sha256="ab" * 32,
        created_by_id=people["office"].pk,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    document = Document.objects.get(pk=row.pk)
    assert (document.status, document.number, document.issued_by) == (
        "issued",
        "〔2026〕信受第0003号",
        people["office"],
    )
    assert document.issued_at == document.created_at
