"""The audit viewer, under /clinic/."""

from django.urls import URLPattern, path

from backcare.audit import views

clinic_urlpatterns: list[URLPattern] = [
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.export_audit_log, name="audit_export"),
]
