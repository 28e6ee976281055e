"""Document (文书) URLs."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("cases/<int:pk>/documents/new/<slug:kind>/", views.document_new, name="issue"),
    path("cases/<int:pk>/documents/<int:doc_pk>/", views.document_download, name="download"),
    path("cases/<int:pk>/documents/<int:doc_pk>/delivery/", views.delivery_new, name="delivery"),
    path("cases/<int:pk>/documents/<int:doc_pk>/draft/", views.document_draft, name="draft"),
    path("cases/<int:pk>/documents/<int:doc_pk>/preview/", views.document_preview, name="preview"),
    path("cases/<int:pk>/documents/<int:doc_pk>/discard/", views.document_discard, name="discard"),
]
