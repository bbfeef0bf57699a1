"""Reminder pages: the patient's under /me/reminders/, the clinician's under /clinic/, and the
secret calendar feed under /calendar/."""

from django.urls import URLPattern, path

from backcare.reminders import views

patient_urlpatterns: list[URLPattern] = [
    path("", views.my_reminders, name="my_reminders"),
    path("calendar/new/", views.new_calendar_link, name="new_calendar_link"),
    path("calendar/off/", views.turn_off_calendar_link, name="turn_off_calendar_link"),
]
clinic_urlpatterns: list[URLPattern] = [
    path("patients/<int:pk>/reminders/", views.patient_reminders, name="patient_reminders"),
]
public_urlpatterns: list[URLPattern] = [
    path("<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
