"""Document (文书) URLs; the views live in cases/document_views.py."""

from django.urls import path

from . import document_views as views

app_name = "documents"

urlpatterns = [
    path("cases/<int:pk>/documents/new/<slug:kind>/", views.document_new, name="issue"),
    path("cases/<int:pk>/documents/<int:doc_pk>/", views.document_download, name="download"),
]
