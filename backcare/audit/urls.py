"""The audit viewer, mounted under /clinic/audit/."""

from django.urls import URLPattern, path

from backcare.audit import views

urlpatterns: list[URLPattern] = [
    path("", views.audit_log, name="audit_log"),
    path("export.csv", views.export_audit_log, name="audit_export"),
]
