from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Units and staff: who a person is decides what they see and may do."""

    name = "people"
    verbose_name = "人员与部门"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import post_save

        from . import signals

        user_logged_in.connect(signals.logged_in, dispatch_uid="people.logged_in")
        user_logged_out.connect(signals.logged_out, dispatch_uid="people.logged_out")
        user_login_failed.connect(signals.login_failed, dispatch_uid="people.login_failed")
        user_locked_out.connect(signals.locked_out, dispatch_uid="people.locked_out")
        post_save.connect(signals.user_saved, sender="people.User", dispatch_uid="people.user_saved")
