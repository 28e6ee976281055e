"""Beat jobs of the dashboard: thin shells around dashboard.rollups."""

from celery import shared_task

from .rollups import refresh_rollups


@shared_task(name="dashboard.refresh")
def refresh() -> int:
    """Rewrite the rollups (idempotent; two at once are serialised)."""
    return refresh_rollups().rows
