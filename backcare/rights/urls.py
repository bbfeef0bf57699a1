"""Data rights: the patient's own export under /me/, the clinician's under /clinic/."""

from django.urls import URLPattern, path

from backcare.rights import views

patient_urlpatterns: list[URLPattern] = [
    path("data/export.json", views.my_export, name="my_data_export"),
]
clinic_urlpatterns: list[URLPattern] = [
    path("patients/<int:pk>/export.json", views.patient_export, name="patient_data_export"),
    path("patients/<int:pk>/erase/", views.erase_patient, name="erase_patient"),
]
