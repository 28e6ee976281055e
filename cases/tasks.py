from celery import shared_task

from . import exports


@shared_task(name="cases.export_ledger")
def export_ledger_task(job_id: int) -> int:
    """A thin shell around cases.exports.ledger_export_run."""
    return exports.ledger_export_run(job_id).done


@shared_task(name="cases.purge_exports")
def purge_exports() -> int:
    return exports.purge_expired_exports()
