"""python manage.py render_document CASE_NUMBER KIND --out FILE [--reprint] [--as USERNAME]

Issues a document on a case through the same service as the case page (numbered, kept on
the case, noted in its history) and writes the PDF to FILE; with --reprint it writes the
bytes of the latest document of that kind as they were issued, without rendering again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from cases.models import Case
from cases.selectors import case_for_user
from cases.services import case_log_access
from deadlines.clocks import Extension
from documents import services as documents
from documents.models import DocumentKind
from people.models import User


class Command(BaseCommand):
    help = "Issue (or, with --reprint, reprint the latest) document of a case and write the PDF to a file."

    def add_arguments(self, parser):
        parser.add_argument("case_number", help="信访件编号, e.g. 2026-0001")
        parser.add_argument("kind", choices=DocumentKind.values)
        parser.add_argument("--out", required=True, help="file to write the PDF to")
        parser.add_argument("--reprint", action="store_true", help="the latest document of KIND, as issued")
        parser.add_argument(
            "--as", dest="username", help="act as this user (scope and permission apply); default: the system"
        )
        parser.add_argument("--notice", type=int, help="督办单 id for KIND supervision (default: the latest open)")
        parser.add_argument("--extension", type=int, help="延期 id for KIND extension (default: the latest approved)")

    def handle(self, *args, case_number: str, kind: str, out: str, reprint: bool, username: str | None, **options):
        actor = None
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"没有用户名为 {username} 的在用账号。")
        case = Case.objects.filter(number=case_number).first()
        if case is None:
            raise CommandError(f"没有编号为 {case_number} 的信访件。")
        if actor is not None:
            try:
                case = case_for_user(user=actor, pk=case.pk)
            except Http404 as e:
                raise CommandError(f"{actor} 无权查看信访件 {case_number}。") from e
        label = DocumentKind(kind).label
        if actor is not None:
            case_log_access(case=case, user=actor, action="重印文书" if reprint else "制作文书")
        if reprint:
            document = case.documents.issued().filter(kind=kind).order_by("-issued_at", "-pk").first()
            if document is None:
                raise CommandError(f"信访件 {case_number} 还没有{label}，无可重印。")
            try:
                content = documents.document_content(document)
            except documents.DocumentDamaged as e:
                raise CommandError(str(e)) from e
        else:
            subject = None
            hook = documents.subject_for(kind)
            if hook is not None and options["notice"] is not None:
                subject = hook.lookup(case, options["notice"])
                if subject is None:
                    raise CommandError(f"该信访件上没有 id 为 {options['notice']} 的督办单。")
            extension = self._get(Extension, options["extension"], clock__case=case)
            try:
                document = documents.document_issue(
                    case=case, kind=kind, actor=actor, subject=subject, extension=extension
                )
            except (documents.DocumentRefused, PermissionDenied) as e:
                raise CommandError(str(e)) from e
            content = documents.document_content(document)
        Path(out).write_bytes(content)
        verb = "重印" if reprint else "制作"
        digest = hashlib.sha256(content).hexdigest()
        self.stdout.write(f"{verb}{label} {document.number}：{out}（{len(content)} 字节，sha256 {digest}）")

    @staticmethod
    def _get(model, pk: int | None, **case_filter):
        if pk is None:
            return None
        found = model.objects.filter(pk=pk, **case_filter).first()
        if found is None:
            raise CommandError(f"该信访件上没有 id 为 {pk} 的{model._meta.verbose_name}。")
        return found
