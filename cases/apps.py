from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Petitioners and cases: registration, the lifecycle as a django-fsm-2 machine, the
    one scope every read goes through, the case list and the case page."""

    name = "cases"
    verbose_name = "信访件"

    def ready(self) -> None:
        from core.fsm import connect_transition_label

        from . import (
            abilities,  # noqa: F401 - registers the named rules (django-rules)
            models,
        )

        # each history row names the step the service ran; plain edits leave it blank
        connect_transition_label(models.Case.history.model, "cases.record_transition")

        from notifications.selectors import register_scope

        from .selectors import notifications_in_scope

        register_scope(notifications_in_scope)
