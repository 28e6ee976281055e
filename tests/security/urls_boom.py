"""A URLconf with a view that fails, for the 500 page's test."""

from django.urls import path


def boom(request):
    raise RuntimeError("a defect")


handler500 = "core.views.server_error"
urlpatterns = [path("boom/", boom)]
