from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Small, boring helpers that two or more apps need; nothing domain-specific."""

    name = "core"
    verbose_name = "公共基础"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Source
        from .sources import forget_names

        post_save.connect(forget_names, sender=Source, dispatch_uid="core.sources.saved")
        post_delete.connect(forget_names, sender=Source, dispatch_uid="core.sources.deleted")
