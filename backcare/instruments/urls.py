"""Questionnaires: the clinician's pages under /clinic/, the patient's under /me/."""

from django.urls import path

from backcare.instruments import views

clinic_urlpatterns = [
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("instruments/import/", views.import_instrument, name="import_instrument"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path("patients/<int:pk>/instruments/", views.patient_instruments, name="patient_instruments"),
    path(
        "patients/<int:pk>/instruments/assign/",
        views.assign_instrument,
        name="assign_instrument",
    ),
]

patient_urlpatterns = [
    path("questionnaires/", views.my_questionnaires, name="my_questionnaires"),
    path("questionnaires/<int:pk>/", views.answer_questionnaire, name="answer_questionnaire"),
]
