from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    """Statutory clocks and the official working-day calendar."""

    name = "deadlines"
    verbose_name = "办理时限"

    def ready(self) -> None:
        from django.db import transaction

        from . import (
            abilities,  # noqa: F401 - registers the named rules (django-rules)
            calendar,
        )

        def recompute(sender, years, **kwargs):
            # After the edit commits: every open deadline through an edited year is
            # recomputed and its case history says why (deadlines.services).
            from .services import recompute_for_calendar

            transaction.on_commit(lambda: recompute_for_calendar(years=set(years)))

        calendar.calendar_changed.connect(recompute, weak=False, dispatch_uid="deadlines.recompute")

        from cases.guards import register_guard
        from cases.signals import case_event, case_registered, case_stepped

        from .services import assign_guard, on_case_registered, on_case_signal, on_case_stepped

        case_registered.connect(on_case_registered, dispatch_uid="deadlines.case_registered")
        case_stepped.connect(on_case_stepped, dispatch_uid="deadlines.case_stepped")
        # objections, 复函 to the superior, hearings: clock events that are no step
        case_event.connect(on_case_signal, dispatch_uid="deadlines.case_event")
        # 交办: a due date beyond the legal limit is refused (《信访工作条例》第三十四条)
        register_guard("assign", assign_guard)

        from cases import pages

        from .panels import case_clocks

        pages.add_case_page_part(case_clocks)
