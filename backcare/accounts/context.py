"""Template context shared by every page."""

from django.http import HttpRequest


def demo_banner(request: HttpRequest) -> dict[str, bool]:
    """Demo data is labelled as demo on every page a demo clinic's user sees."""
    user = getattr(request, "user", None)
    clinic = getattr(user, "clinic", None) if user and user.is_authenticated else None
    patient = getattr(user, "patient", None) if user and user.is_authenticated else None
    is_demo = bool((clinic and clinic.is_demo) or (patient and patient.clinic.is_demo))
    return {"is_demo": is_demo}


def open_alerts(request: HttpRequest) -> dict[str, int]:
    """How many alerts wait for the clinician's clinic (a count, no patient named)."""
    from backcare.alerts.models import Alert

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_clinician:
        return {}
    if second_factor_pending(request)["second_factor_pending"]:
        return {}
    return {"open_alert_count": Alert.objects.for_actor(user).filter(acknowledged_at=None).count()}


def second_factor_pending(request: HttpRequest) -> dict[str, bool]:
    """A staff member between password and code sees no navigation into the clinic."""
    from backcare.accounts.two_factor import requires_two_factor

    user = getattr(request, "user", None)
    verified = getattr(user, "is_verified", None)
    return {"second_factor_pending": requires_two_factor(user) and not (verified and verified())}
