"""Ledger (台账) export URLs; the views live in documents/ledger_views.py."""

from django.urls import path

from . import ledger_views as views

app_name = "exports"

urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/archive/", views.archive, name="archive"),
    path("ledger/selected/", views.selected, name="selected"),
    path("ledger/exports/<int:pk>/", views.job, name="job"),
    path("ledger/exports/<int:pk>/progress/", views.job_progress, name="progress"),
    path("ledger/exports/<int:pk>/download/", views.job_download, name="download"),
]
