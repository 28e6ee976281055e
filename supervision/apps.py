from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """催办/督办 notices, the follow-up (不满意研判, 复查, 复核) and notifications."""

    name = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from . import models

        def record_transition(sender, instance, history_instance, **kwargs):
            history_instance.transition = getattr(instance, "_history_transition", "")

        pre_create_historical_record.connect(
            record_transition,
            sender=models.Notice.history.model,
            weak=False,
            dispatch_uid="supervision.record_transition",
        )
