from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("account/otp/", views.otp_verify, name="otp_verify"),
    path("account/otp/setup/", views.otp_setup, name="otp_setup"),
]
