from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications to one person, their mail after commit, and who may still read them."""

    name = "notifications"
    verbose_name = "通知"
