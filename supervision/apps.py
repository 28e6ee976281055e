from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """催办/督办 notices; they can reach a case in any state (the supervision issue)."""

    name = "supervision"
    verbose_name = "督查督办"
