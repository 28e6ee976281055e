from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The leaders' dashboard: figures and charts, what petitions are about, policy fixes,
    the annual report and leader reception."""

    name = "dashboard"
    verbose_name = "领导看板"

    def ready(self) -> None:
        from cases import pages

        from . import abilities  # noqa: F401 - registers the named rules (django-rules)
        from .filters import drill_down

        pages.add_list_filter(drill_down)
