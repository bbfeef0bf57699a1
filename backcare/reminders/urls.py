"""Reminder pages: the patient's under /me/, the clinician's under /clinic/, and the secret
calendar feed from the site's root."""

from django.urls import URLPattern, path

from backcare.reminders import views

patient_urlpatterns: list[URLPattern] = [
    path("reminders/", views.my_reminders, name="my_reminders"),
    path("reminders/calendar/new/", views.new_calendar_link, name="new_calendar_link"),
    path("reminders/calendar/off/", views.turn_off_calendar_link, name="turn_off_calendar_link"),
]
clinic_urlpatterns: list[URLPattern] = [
    path("patients/<int:pk>/reminders/", views.patient_reminders, name="patient_reminders"),
]
site_urlpatterns: list[URLPattern] = [
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
