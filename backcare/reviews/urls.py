"""The clinician's review queue, under /clinic/."""

from django.urls import path

from backcare.reviews import views

clinic_urlpatterns = [
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/approve/", views.approve_review, name="approve_review"),
    path("reviews/<int:pk>/refuse/", views.refuse_review, name="refuse_review"),
]
