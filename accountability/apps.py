from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    """责任追究 and the annual assessment of units (the accountability issue)."""

    name = "accountability"
    verbose_name = "责任追究"

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from . import models

        def record_transition(sender, instance, history_instance, **kwargs):
            history_instance.transition = getattr(instance, "_history_transition", "")

        pre_create_historical_record.connect(
            record_transition,
            sender=models.AccountabilityCase.history.model,
            weak=False,
            dispatch_uid="accountability.record_transition",
        )
