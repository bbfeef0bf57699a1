"""Every address of the site, mounted once per prefix.

Each app's ``urls`` module lists its pages by where they live: ``clinic_urlpatterns`` (staff
pages, under /clinic/), ``patient_urlpatterns`` (the patient's own pages, under /me/) and
``site_urlpatterns`` (from the site's root). Two apps keep Django's single ``urlpatterns``: the
logbook's pages are all the patient's, and the audit viewer's sit under /clinic/audit/.
"""

from django.urls import URLPattern, URLResolver, include, path

from backcare.accounts import urls as accounts
from backcare.alerts import urls as alerts
from backcare.api import api
from backcare.audit import urls as audit
from backcare.checkins import urls as checkins
from backcare.documents import urls as documents
from backcare.instruments import urls as instruments
from backcare.library import urls as library
from backcare.logbook import urls as logbook
from backcare.motion import urls as motion
from backcare.outcomes import urls as outcomes
from backcare.patients import urls as patients
from backcare.programmes import urls as programmes
from backcare.reminders import urls as reminders
from backcare.reviews import urls as reviews
from backcare.rights import urls as rights

site_pages = [
    *accounts.site_urlpatterns,
    *library.site_urlpatterns,
    *reminders.site_urlpatterns,
]
clinic_pages: list[URLPattern | URLResolver] = [
    *accounts.clinic_urlpatterns,
    *patients.clinic_urlpatterns,
    *programmes.clinic_urlpatterns,
    *alerts.clinic_urlpatterns,
    *reviews.clinic_urlpatterns,
    *checkins.clinic_urlpatterns,
    *instruments.clinic_urlpatterns,
    *outcomes.clinic_urlpatterns,
    *motion.clinic_urlpatterns,
    *documents.clinic_urlpatterns,
    *reminders.clinic_urlpatterns,
    *rights.clinic_urlpatterns,
    path("audit/", include(audit.urlpatterns)),
]
patient_pages = [
    *logbook.urlpatterns,
    *patients.patient_urlpatterns,
    *checkins.patient_urlpatterns,
    *instruments.patient_urlpatterns,
    *outcomes.patient_urlpatterns,
    *reminders.patient_urlpatterns,
    *documents.patient_urlpatterns,
    *rights.patient_urlpatterns,
]

urlpatterns = [
    path("", include(site_pages)),
    path("clinic/", include(clinic_pages)),
    path("me/", include(patient_pages)),
    path("api/v1/", api.urls),
]

handler400 = "backcare.errors.bad_request"
handler403 = "backcare.errors.permission_denied"
handler404 = "backcare.errors.page_not_found"
handler500 = "backcare.errors.server_error"
