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
