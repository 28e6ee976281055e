from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    """责任追究 and the annual assessment of units (the accountability issue)."""

    name = "accountability"
    verbose_name = "责任追究"
