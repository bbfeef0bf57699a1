"""Check-in pages: the patient's under /me/, the clinician's under /clinic/."""

from django.urls import path

from backcare.checkins import views

patient_urlpatterns = [
    path("checkin/", views.weekly_checkin, name="weekly_checkin"),
]

clinic_urlpatterns = [
    path("patients/<int:pk>/checkins/", views.patient_checkins, name="patient_checkins"),
    path("patients/<int:pk>/goals/", views.patient_goals, name="patient_goals"),
]
