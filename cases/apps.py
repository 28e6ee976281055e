from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "信访件"

    def ready(self) -> None:
        from xinfang.fsm import connect_transition_label

        from . import models

        # each history row names the step the service ran; plain edits leave it blank
        connect_transition_label(models.Case.history.model, "cases.record_transition")
