from django.urls import URLPattern

patient_urlpatterns: list[URLPattern] = []
clinic_urlpatterns: list[URLPattern] = []
public_urlpatterns: list[URLPattern] = []
