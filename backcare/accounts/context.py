"""Template context shared by every page."""

from django.http import HttpRequest


def demo_banner(request: HttpRequest) -> dict[str, bool]:
    """Demo data is labelled as demo on every page a demo clinic's user sees."""
    user = getattr(request, "user", None)
    clinic = getattr(user, "clinic", None) if user and user.is_authenticated else None
    patient = getattr(user, "patient", None) if user and user.is_authenticated else None
    is_demo = bool((clinic and clinic.is_demo) or (patient and patient.clinic.is_demo))
    return {"is_demo": is_demo}
