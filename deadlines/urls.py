from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("deadlines/", views.overdue_list, name="overdue"),
    path("cases/<int:pk>/clocks/<int:clock_pk>/", views.clock_explain, name="explain"),
    path("cases/<int:pk>/clocks/<int:clock_pk>/extend/", views.extension_request, name="extension_request"),
    path("cases/<int:pk>/events/<slug:event>/", views.record_event, name="record_event"),
    path("cases/<int:pk>/extensions/<int:extension_pk>/", views.extension_decide, name="extension_decide"),
]
