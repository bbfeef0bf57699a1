from django.urls import path

from backcare.logbook import views

urlpatterns = [
    path("", views.today, name="today"),
    path("history/", views.my_history, name="my_history"),
    path("session/", views.guided_session, name="guided_session"),
    path(
        "sessions/<int:session_id>/morning-pain/",
        views.log_morning_pain,
        name="log_morning_pain",
    ),
]
