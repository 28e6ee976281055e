from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notifications, name="list"),
    path("notifications/read/", views.notifications_read, name="read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="open"),
    path("notifications/settings/", views.notification_settings, name="settings"),
]
