"""Printed documents: the patient's own under /me/, the clinician's under /clinic/."""

from django.urls import URLPattern, path

from backcare.documents import views

patient_urlpatterns: list[URLPattern] = [
    path("documents/programme.pdf", views.my_programme_pdf, name="my_programme_pdf"),
    path("documents/progress.pdf", views.my_progress_pdf, name="my_progress_pdf"),
]
clinic_urlpatterns: list[URLPattern] = [
    path("patients/<int:pk>/programme.pdf", views.programme_pdf, name="programme_pdf"),
    path("patients/<int:pk>/progress.pdf", views.progress_pdf, name="progress_pdf"),
]
