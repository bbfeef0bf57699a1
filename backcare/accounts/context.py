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
    return {"open_alert_count": Alert.objects.for_actor(user).filter(acknowledged_at=None).count()}
