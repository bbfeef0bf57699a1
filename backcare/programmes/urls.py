"""Drafting and reading programmes, under /clinic/."""

from django.urls import path

from backcare.programmes import views

clinic_urlpatterns = [
    path("patients/<int:pk>/programmes/new/", views.draft_programme, name="draft_programme"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/discard/", views.discard_programme, name="discard_programme"),
]
