from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    """责任追究 (accountability cases, measures, appeals, personal records) and the annual
    assessment of units."""

    name = "accountability"
    verbose_name = "责任追究"

    def ready(self) -> None:
        from core.fsm import connect_transition_label
        from core.reports import register_annual_report_part

        from . import (
            abilities,  # noqa: F401 - registers the named rules (django-rules)
            models,
        )
        from .report_part import accountability_suggestions

        # 条例 第41条(三): the annual report shows the accountability suggestions
        register_annual_report_part(accountability_suggestions)

        from cases import pages

        from .selectors import workbench_part

        # discipline and the office see what waits for them on the workbench (issue 14)
        pages.add_workbench_part(workbench_part)

        # each history row names the step the service ran; plain edits leave it blank
        connect_transition_label(models.AccountabilityCase.history.model, "accountability.record_transition")
        connect_transition_label(models.Measure.history.model, "accountability.record_measure_step")
        connect_transition_label(models.Appeal.history.model, "accountability.record_appeal_step")
