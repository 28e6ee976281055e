from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "信访件"

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from . import models

        def record_transition(sender, instance, history_instance, **kwargs):
            # The service names the transition it ran; plain edits leave it blank.
            history_instance.transition = getattr(instance, "_history_transition", "")

        pre_create_historical_record.connect(
            record_transition,
            sender=models.Case.history.model,
            weak=False,
            dispatch_uid="cases.record_transition",
        )
