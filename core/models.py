"""The shape every history table shares (django-simple-history)."""

from django.db import models


class TransitionHistory(models.Model):
    """Extra columns on every history row: which step it records (the transition's
    label, set by core.fsm.save_with_history; plain edits leave it blank)."""

    transition = models.CharField("操作", max_length=32, blank=True)

    class Meta:
        abstract = True
