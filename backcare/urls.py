from django.urls import include, path

from backcare.accounts.language import set_language
from backcare.api import api
from backcare.checkins import urls as checkin_urls
from backcare.documents import urls as document_urls
from backcare.instruments import urls as instrument_urls
from backcare.motion import urls as motion_urls
from backcare.outcomes import urls as outcome_urls
from backcare.patients.views import report_symptom
from backcare.reminders import urls as reminder_urls
from backcare.rights import urls as rights_urls

urlpatterns = [
    path("", include("backcare.accounts.urls")),
    path("clinic/", include("backcare.patients.urls")),
    path("clinic/", include("backcare.programmes.urls")),
    path("me/symptom/", report_symptom, name="report_symptom"),
    path("me/checkin/", include(checkin_urls.patient_urlpatterns)),
    path("me/questionnaires/", include(instrument_urls.patient_urlpatterns)),
    path("me/progress/", include(outcome_urls.patient_urlpatterns)),
    path("me/reminders/", include(reminder_urls.patient_urlpatterns)),
    path("me/documents/", include(document_urls.patient_urlpatterns)),
    path("me/data/", include(rights_urls.patient_urlpatterns)),
    path("me/", include("backcare.logbook.urls")),
    path("clinic/", include("backcare.alerts.urls")),
    path("clinic/", include("backcare.reviews.urls")),
    path("clinic/", include(checkin_urls.clinic_urlpatterns)),
    path("clinic/", include(instrument_urls.clinic_urlpatterns)),
    path("clinic/", include(outcome_urls.clinic_urlpatterns)),
    path("clinic/", include(motion_urls.clinic_urlpatterns)),
    path("clinic/", include(document_urls.clinic_urlpatterns)),
    path("clinic/", include(reminder_urls.clinic_urlpatterns)),
    path("clinic/", include(rights_urls.clinic_urlpatterns)),
    path("clinic/audit/", include("backcare.audit.urls")),
    path("calendar/", include(reminder_urls.public_urlpatterns)),
    path("i18n/setlang/", set_language, name="set_language"),  # also saves the user's choice
    path("exercises/", include("backcare.library.urls")),
    path("api/v1/", api.urls),
]

handler400 = "backcare.errors.bad_request"
handler403 = "backcare.errors.permission_denied"
handler404 = "backcare.errors.page_not_found"
handler500 = "backcare.errors.server_error"
