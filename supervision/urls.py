from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("supervision/", views.board, name="board"),
    path("supervision/inbox/", views.inbox, name="inbox"),
    path("supervision/<int:pk>/", views.detail, name="detail"),
    path("supervision/<int:pk>/do/<slug:action>/", views.act, name="act"),
    path("cases/<int:pk>/notices/new/", views.notice_new, name="notice_new"),
    path("cases/<int:pk>/dissatisfaction/", views.dissatisfaction, name="dissatisfaction"),
    path("cases/<int:pk>/reviews/<slug:stage>/new/", views.review_new, name="review_new"),
    path("cases/<int:pk>/reviews/<int:review_pk>/opinion/", views.review_opinion, name="review_opinion"),
]
