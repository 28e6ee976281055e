from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Small, boring helpers that two or more apps need; nothing domain-specific."""

    name = "core"
    verbose_name = "公共基础"
