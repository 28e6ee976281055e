"""The dashboard's URLs; each part of it keeps its own module."""

from django.urls import include, path

app_name = "dashboard"

urlpatterns = [
    path("", include("dashboard.urls_figures")),
    path("topics/", include("dashboard.urls_topics")),
    path("", include("dashboard.urls_report")),
]
