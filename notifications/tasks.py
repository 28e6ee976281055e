from celery import shared_task
from django.conf import settings

from . import services


# The name predates the move from supervision; queued messages know it by this name.
@shared_task(bind=True, name="supervision.send_notification_mail", max_retries=None)
def send_notification_mail(self, ids: list[int]) -> int:
    """Mail for notifications, after the action committed. What fails is retried with
    backoff (1, 2, 4 … minutes) up to NOTIFICATION_MAIL_ATTEMPTS; after that the sweep
    leaves it, and the notification page still shows it."""
    failed = services.deliver_mail(ids)
    if failed and self.request.retries + 1 < settings.NOTIFICATION_MAIL_ATTEMPTS and not self.request.is_eager:
        raise self.retry(args=[failed], countdown=60 * 2**self.request.retries)
    return len(ids) - len(failed)


@shared_task(bind=True, name="notifications.send_deliveries", max_retries=None)
def send_deliveries(self, ids: list[int]) -> int:
    """SMS and robot messages after the action committed; what fails is retried with
    backoff, then left to the sweep (services.sweep_deliveries)."""
    failed = services.send_deliveries(ids)
    if failed and self.request.retries + 1 < settings.NOTIFICATION_MAIL_ATTEMPTS and not self.request.is_eager:
        raise self.retry(args=[failed], countdown=60 * 2**self.request.retries)
    return len(ids) - len(failed)


@shared_task(name="notifications.sweep")
def sweep() -> int:
    return services.sweep_deliveries()


@shared_task(name="notifications.digests")
def digests() -> int:
    return services.send_digests()
