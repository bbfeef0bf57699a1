from django.urls import include, path

from backcare.api import api

urlpatterns = [
    path("", include("backcare.accounts.urls")),
    path("clinic/", include("backcare.patients.urls")),
    path("clinic/", include("backcare.programmes.urls")),
    path("me/", include("backcare.logbook.urls")),
    path("exercises/", include("backcare.library.urls")),
    path("api/v1/", api.urls),
]
