from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The leaders' dashboard, what petitions are about, the annual report and leader
    reception (the dashboard issue)."""

    name = "dashboard"
    verbose_name = "领导看板"
