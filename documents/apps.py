from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Documents (文书) issued on cases as PDF, the 台账 ledger, and the year-end archive."""

    name = "documents"
    verbose_name = "文书与台账"

    def ready(self) -> None:
        from cases import guards as case_guards
        from cases import pages
        from cases.signals import case_stepped

        from . import (
            abilities,  # noqa: F401 - registers the named rules (django-rules)
            guards,
            panels,
            services,
        )

        pages.add_case_page_part(panels.case_documents)
        case_guards.register_guard("archive", guards.archive_refusal)
        # after deadlines' receiver (deadlines is installed first): the 送达 clock exists
        case_stepped.connect(services.answer_already_delivered, dispatch_uid="documents.answer_already_delivered")
