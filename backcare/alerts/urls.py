"""The clinic's alert list, under /clinic/."""

from django.urls import path

from backcare.alerts import views

clinic_urlpatterns = [
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/acknowledge/", views.acknowledge_alert, name="acknowledge_alert"),
]
