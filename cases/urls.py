from django.urls import path

from . import actions, views

app_name = "cases"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("cases/", views.case_list, name="list"),
    path("cases/new/", views.case_create, name="create"),
    path("cases/similar/", views.case_similar, name="similar"),
    path("searches/menu/", views.saved_menu, name="saved_menu"),
    path("searches/", views.saved_create, name="saved_create"),
    path("searches/<int:pk>/delete/", views.saved_delete, name="saved_delete"),
    path("cases/bulk/", views.bulk_action, name="bulk"),
    path("phrases/", views.phrase_list, name="phrases"),
    path("phrases/<int:pk>/delete/", views.phrase_delete, name="phrase_delete"),
    path("staff/", views.staff_directory, name="staff_directory"),
    path("queues/<slug:key>/", views.queue, name="queue"),
    path("unit/", views.unit_overview, name="unit"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/do/<slug:action>/", actions.case_action, name="action"),
    path("cases/<int:pk>/accused/<int:person_pk>/", views.accused_person_resolve, name="accused_resolve"),
    path("cases/<int:pk>/recuse/", views.case_recuse, name="recuse"),
    path("cases/<int:pk>/complete/", views.case_complete, name="complete"),
    path("cases/<int:pk>/recusals/new/", views.case_recusal_order, name="recusal_order"),
    path("cases/<int:pk>/superior/", views.case_superior, name="superior"),
    path("cases/<int:pk>/superior/<slug:step>/", views.case_superior, name="superior_step"),
    path("cases/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("cases/<int:pk>/attachments/<uuid:uuid>/", views.attachment_download, name="attachment"),
]
