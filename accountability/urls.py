from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_open, name="open"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("people/<int:user_id>/record/", views.person_record, name="record"),
]
