"""Patient records under /clinic/, and the patient's symptom report under /me/."""

from django.urls import path

from backcare.patients import views

clinic_urlpatterns = [
    path("patients/", views.patient_list, name="patient_list"),
    path("patients/new/", views.new_patient, name="new_patient"),
    path("patients/<int:pk>/", views.patient_detail, name="patient_detail"),
    path("patients/<int:pk>/screen/", views.screen_patient, name="screen_patient"),
    path("patients/<int:pk>/invite/", views.invite, name="invite_patient"),
]
patient_urlpatterns = [
    path("symptom/", views.report_symptom, name="report_symptom"),
]
