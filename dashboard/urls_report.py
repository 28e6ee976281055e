"""Dashboard URLs (report and leader reception)."""

from django.urls import path

from . import views_report as views

urlpatterns = [
    path("report/", views.report_page, name="report"),
    path("report/pdf/", views.report_pdf, name="report_pdf"),
    path("report/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("reception/", views.reception_page, name="reception"),
    path("reception/<int:pk>/edit/", views.reception_edit, name="reception_edit"),
    path("reception/<int:pk>/delete/", views.reception_delete, name="reception_delete"),
]
