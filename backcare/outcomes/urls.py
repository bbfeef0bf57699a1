"""Outcome pages: the patient's own under /me/, the clinician's under /clinic/."""

from django.urls import path

from backcare.outcomes import views

patient_urlpatterns = [
    path("progress/", views.my_progress, name="my_progress"),
]

clinic_urlpatterns = [
    path("patients/<int:pk>/timeline/", views.patient_timeline, name="patient_timeline"),
]
