from celery import shared_task

from . import services


@shared_task(name="accountability.escalate")
def escalate() -> int:
    """The beat job; a thin shell around accountability.services.escalate_unfinished
    (also `python manage.py escalate_accountability`)."""
    return len(services.escalate_unfinished())
