"""The Celery app. Broker from REDIS_URL, else kombu's filesystem transport in var/."""

import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")

app = Celery("xinfang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="xinfang.celery.heartbeat")
def heartbeat() -> str:
    """Proves beat and a worker are alive; the deadline scan joins it in a later issue."""
    logging.getLogger("xinfang.celery").info("beat heartbeat")
    return "ok"
