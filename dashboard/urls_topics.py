"""Dashboard URLs (topics): hot topics with clusters, and the policy fixes."""

from django.urls import path

from . import views_topics

urlpatterns = [
    path("", views_topics.topics, name="topics"),
    path("fixes/", views_topics.policy_fixes, name="policy_fixes"),
]
