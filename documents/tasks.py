from celery import shared_task

from . import ledger


@shared_task(name="documents.export_ledger")
def export_ledger_task(job_id: int) -> int:
    """A thin shell around documents.ledger.ledger_export_run."""
    return ledger.ledger_export_run(job_id).done


@shared_task(name="documents.purge_exports")
def purge_exports() -> int:
    return ledger.purge_expired_exports()
