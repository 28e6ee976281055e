from celery import shared_task

from . import services
from .scan import scan


# The name predates the scan's move from deadlines to supervision; beat schedules and
# queued messages know it by this name.
@shared_task(name="deadlines.scan")
def scan_deadlines() -> str:
    """The beat job; a thin shell around supervision.scan.scan."""
    return str(scan())


@shared_task(name="supervision.sweep")
def sweep() -> str:
    """The beat job; a thin shell around supervision.services.sweep."""
    return str(services.sweep())
