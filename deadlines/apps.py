from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    """Statutory clocks and the working-day calendar (the deadline issue fills this in)."""

    name = "deadlines"
    verbose_name = "办理时限"
