from django.urls import path

from . import views, views_assessment

app_name = "accountability"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_open, name="open"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("people/<int:user_id>/record/", views.person_record, name="record"),
    path("assessment/", views_assessment.assessment_page, name="assessment"),
    path("assessment/<int:year>/", views_assessment.assessment_page, name="assessment_year"),
    path("assessment/<int:year>/scheme/", views_assessment.scheme_save, name="assessment_scheme"),
    path("assessment/<int:year>/veto/", views_assessment.veto_record, name="assessment_veto"),
    path("assessment/<int:year>/note/", views_assessment.note_add, name="assessment_note"),
    path("assessment/<int:year>/confirm/", views_assessment.confirm, name="assessment_confirm"),
    path("assessment/<int:year>/export.xlsx", views_assessment.export_xlsx, name="assessment_xlsx"),
    path("assessment/<int:year>/export.pdf", views_assessment.export_pdf, name="assessment_pdf"),
]
