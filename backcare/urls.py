from django.urls import include, path

from backcare.api import api
from backcare.patients.views import report_symptom

urlpatterns = [
    path("", include("backcare.accounts.urls")),
    path("clinic/", include("backcare.patients.urls")),
    path("clinic/", include("backcare.programmes.urls")),
    path("me/symptom/", report_symptom, name="report_symptom"),
    path("me/", include("backcare.logbook.urls")),
    path("clinic/", include("backcare.alerts.urls")),
    path("exercises/", include("backcare.library.urls")),
    path("api/v1/", api.urls),
]
