from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """催办/督办 notices, the follow-up (不满意研判, 复查, 复核) and notifications."""

    name = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from core.fsm import connect_transition_label

        from . import models

        # each history row names the step the service ran; plain edits leave it blank
        connect_transition_label(models.Notice.history.model, "supervision.record_transition")
