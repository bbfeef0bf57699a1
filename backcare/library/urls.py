"""The exercise library, from the site's root."""

from django.urls import path

from backcare.library import views

site_urlpatterns = [
    path("exercises/", views.exercise_list, name="exercise_list"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise_detail"),
]
