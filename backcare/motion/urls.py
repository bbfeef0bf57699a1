"""Motion pages: the clinician's under /clinic/ (the patient's results show on their history)."""

from django.urls import path

from backcare.motion import views

clinic_urlpatterns = [
    path("patients/<int:pk>/motion/", views.patient_motion, name="patient_motion"),
]
