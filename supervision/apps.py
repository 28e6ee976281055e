from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """催办/督办 notices and the deadline scan that raises them, and the follow-up (不满意研判, 复查, 复核)."""

    name = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from core.fsm import connect_transition_label

        from . import (
            abilities,  # noqa: F401 - registers the named rules (django-rules)
            models,
        )

        # each history row names the step the service ran; plain edits leave it blank
        connect_transition_label(models.Notice.history.model, "supervision.record_transition")

        from cases.signals import case_stepped

        from .services import on_case_stepped

        case_stepped.connect(on_case_stepped, dispatch_uid="supervision.case_stepped")

        from . import documents, panels

        documents.register()
        panels.register()
