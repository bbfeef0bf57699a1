"""The demo clinic: a clinician, a clinic admin and three invented patients, one per stage, with
six weeks of logs.

Everything here is labelled demo (the clinic, each patient, the page banner). Seeding happens once;
running it again changes nothing.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from backcare.accounts.models import Clinic, User
from backcare.audit import trail
from backcare.checkins.models import CheckIn, Goal, GoalRating
from backcare.logbook.models import ExerciseLog, Session
from backcare.patients.clock import clinic_today
from backcare.patients.models import Patient, RedFlagScreen
from backcare.programmes import services as programmes
from backcare.reminders import services as reminders
from backcare.reviews.services import run_nightly

DEMO_PASSWORD = "demo-backcare"
DEMO_CLINIC = "Demo Clinic (invented patients)"
DEMO_DAYS = 42
DEMO_TOTP_KEY = b"backcare-demo-only!!".hex()
"""The demo clinician's authenticator secret. Public on purpose, like the demo password: staff
need a second factor, and whoever tries the demo needs a way in (``backcare demo_code``)."""


@dataclass(frozen=True)
class DemoPatient:
    username: str
    first_name: str
    last_name: str
    stage: str
    risk_group: str
    baseline_pain_0_10: int
    goals: str
    equipment: tuple[str, ...] = ()
    excluded_positions: tuple[str, ...] = ()
    preferred_aerobic: str = ""
    quiet_last_days: int = 0
    """Days at the end with no log (shows the drop-out alert)."""


DEMO_PATIENTS = (
    DemoPatient(
        "demo-dana",
        "Dana",
        "Demo",
        "initial",
        "medium",
        7,
        "Sit through a film without getting up; walk to the shops.",
        equipment=("wall", "chair"),
    ),
    DemoPatient(
        "demo-sam",
        "Sam",
        "Sample",
        "intermediate",
        "low",
        5,
        "Garden for an hour; lift my grandchild.",
        equipment=("swiss_ball", "wall"),
        preferred_aerobic="cycling",
        quiet_last_days=9,
    ),
    DemoPatient(
        "demo-ira",
        "Ira",
        "Example",
        "advanced",
        "low",
        3,
        "Back to five-a-side football.",
        equipment=("wall", "band", "pool"),
        preferred_aerobic="swimming",
    ),
)


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, username, password) for the demo accounts."""
    rows = [("clinician", "demo-clinician", DEMO_PASSWORD)]
    rows += [("clinic admin (audit log, staff)", "demo-admin", DEMO_PASSWORD)]
    rows += [(f"patient, {p.stage} stage", p.username, DEMO_PASSWORD) for p in DEMO_PATIENTS]
    return rows


DEMO_STAFF = ("demo-clinician", "demo-admin")


@transaction.atomic
def demo_authenticator() -> TOTPDevice | None:
    """The demo clinician's authenticator app, or None without a demo.

    Every demo staff login gets the published key, and only it: a visitor who moved one to an
    app of their own must not lock the next visitor out (``serve --demo`` and ``demo_code`` put
    it back). The clinician and the admin share the key, so one code signs in either.
    """
    devices = {}
    for user in User.objects.filter(username__in=DEMO_STAFF, clinic__is_demo=True):
        TOTPDevice.objects.filter(user=user).exclude(key=DEMO_TOTP_KEY, confirmed=True).delete()
        devices[user.username], _created = TOTPDevice.objects.get_or_create(
            user=user,
            key=DEMO_TOTP_KEY,
            defaults={"name": "Demo authenticator", "confirmed": True},
        )
    return devices.get("demo-clinician")


@transaction.atomic
def seed_demo(today: date | None = None) -> bool:
    """Create the demo clinic once; return False when it already exists."""
    existing = Clinic.objects.filter(is_demo=True).first()
    if existing is not None:
        _seed_admin(existing)  # demos seeded before the admin login existed get one too
        return False
    clinic = Clinic.objects.create(
        name=DEMO_CLINIC,
        phone="000 0000 0000 (demo)",
        email="demo@backcare.invalid",
        is_demo=True,
    )
    today = today or clinic_today(clinic)  # its patients follow the clinic's zone
    clinician = User.objects.create_user(
        "demo-clinician",
        "clinician@backcare.invalid",
        DEMO_PASSWORD,
        role=User.Role.CLINICIAN,
        clinic=clinic,
        first_name="Demo",
        last_name="Clinician",
    )
    _seed_admin(clinic)
    for index, spec in enumerate(DEMO_PATIENTS):
        _seed_patient(clinic, clinician, spec, today, random.Random(index))
    run_nightly(today)  # so the review queue shows what the engine makes of six weeks of logs
    return True


def _seed_admin(clinic: Clinic) -> None:
    """The clinic admin, who reads the audit log and manages staff but sees no patient record."""
    if not User.objects.filter(username="demo-admin").exists():
        User.objects.create_user(
            "demo-admin",
            "admin@backcare.invalid",
            DEMO_PASSWORD,
            role=User.Role.ADMIN,
            clinic=clinic,
            first_name="Demo",
            last_name="Admin",
        )


def _seed_patient(
    clinic: Clinic, clinician: User, spec: DemoPatient, today: date, rng: random.Random
) -> None:
    start = today - timedelta(days=DEMO_DAYS)
    started_at = timezone.make_aware(datetime.combine(start, time(9)))
    user = User.objects.create_user(
        spec.username,
        f"{spec.username}@backcare.invalid",
        DEMO_PASSWORD,
        role=User.Role.PATIENT,
        first_name=spec.first_name,
        last_name=spec.last_name,
    )
    patient = Patient.objects.create(
        clinic=clinic,
        user=user,
        first_name=spec.first_name,
        last_name=spec.last_name,
        email=user.email,
        stage=spec.stage,
        risk_group=spec.risk_group,
        baseline_pain_0_10=spec.baseline_pain_0_10,
        goals=spec.goals,
        equipment=list(spec.equipment),
        excluded_positions=list(spec.excluded_positions),
        preferred_aerobic=spec.preferred_aerobic,
        is_demo=True,
        created_by=clinician,
        created_at=started_at,
    )
    RedFlagScreen.objects.create(
        patient=patient,
        action="none",
        screened_by=clinician,
        screened_at=started_at,
        note="Demo intake: no red flags.",
    )
    programme = programmes.draft_programme(clinician, patient)
    programmes.assign(clinician, programme)
    programme.created_at = programme.assigned_at = started_at
    programme.save(update_fields=["created_at", "assigned_at"])
    choice = reminders.suggested_choice(patient, programme)
    reminders.save_schedule(user, patient, replace(choice, email_enabled=False))  # .invalid inboxes
    items = list(programme.items.all())
    for day in range(DEMO_DAYS):
        if rng.random() > 6 / 7 or day >= DEMO_DAYS - spec.quiet_last_days:
            continue  # about six sessions a week, as a motivated patient manages
        performed_on = start + timedelta(days=day + 1)
        progress = day / DEMO_DAYS  # pain eases over the six weeks
        pain = max(0, round(spec.baseline_pain_0_10 * (1 - 0.5 * progress) - 1 + rng.random()))
        session = Session.objects.create(
            patient=patient,
            programme=programme,
            client_id=uuid.UUID(int=rng.getrandbits(128)),
            body_hash="demo-seed",
            performed_on=performed_on,
            next_morning_pain_0_10=pain if performed_on < today else None,
            created_at=timezone.make_aware(datetime.combine(performed_on, time(18))),
        )
        for item in items:
            done = rng.random() < 0.9
            ExerciseLog.objects.create(
                session=session,
                item=item,
                done=done,
                sets_done=item.sets if done else None,
                reps_done=item.reps if done and item.dose_type == "reps" else None,
                hold_s_done=item.hold_s if done and item.dose_type == "hold" else None,
                minutes_done=item.duration_min if done and item.dose_type == "duration" else None,
                pain_during_0_10=min(10, pain + rng.choice((0, 0, 1))) if done else None,
                effort_0_10=rng.randint(3, 6) if done else None,
            )
    _seed_checkins(patient, spec, start, today, rng)
    trail.note(None, "demo.seed", patient_id=patient.pk, obj=patient)


def _seed_checkins(
    patient: Patient, spec: DemoPatient, start: date, today: date, rng: random.Random
) -> None:
    """Two goals from the intake and a weekly check-in each week, easing like the logs."""
    goals = [
        Goal.objects.create(
            patient=patient,
            activity=activity,
            baseline_0_10=rating,
            position=position,
            created_at=patient.created_at,  # rated at intake, six weeks ago
        )
        for position, (activity, rating) in enumerate(
            [
                (text.strip().rstrip("."), 2 + position)
                for position, text in enumerate(spec.goals.split(";"))
            ]
        )
    ]
    weeks = DEMO_DAYS // 7
    for week in range(1, weeks + 1):
        day = start + timedelta(days=7 * week - 1)
        if day > today or day > today - timedelta(days=spec.quiet_last_days):
            break
        progress = week / weeks
        average = max(0, round(spec.baseline_pain_0_10 * (1 - 0.5 * progress)))
        checkin = CheckIn.objects.create(
            patient=patient,
            week_of=day - timedelta(days=day.weekday()),
            submitted_at=timezone.make_aware(datetime.combine(day, time(19))),
            pain_now_0_10=average,
            pain_average_0_10=average,
            pain_worst_0_10=min(10, average + 2),
            interference_0_10=max(0, average - 1),
            sleep_quality_0_10=min(10, 5 + week // 2),
            confidence_0_10=min(10, 4 + week),
            flare_ups=0,
            notes="",
        )
        for goal in goals:
            rating = min(10, goal.baseline_0_10 + round(5 * progress) + rng.choice((0, 0, 1)))
            GoalRating.objects.create(checkin=checkin, goal=goal, rating_0_10=rating)
