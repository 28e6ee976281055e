from celery import shared_task

from .scan import scan


@shared_task(name="deadlines.scan")
def scan_deadlines() -> str:
    """The beat job; a thin shell around deadlines.scan.scan."""
    return str(scan())
