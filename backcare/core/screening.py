"""Red-flag screening: which answers stop self-directed exercise, and where to seek care.

A red flag is a sign that back pain may have a serious cause that exercise must not delay. Any
positive answer stops the programme; the most urgent action among the positive answers is the one
shown. The questions are written in our own words.

Sources for the mapping (each question repeats the one that applies):

- Finucane LM et al. "International framework for red flags for potential serious spinal
  pathologies", J Orthop Sports Phys Ther 2020;50(7):350-372 (IFOMPT framework).
- NICE NG59 (2016, updated 2020), "Low back pain and sciatica in over 16s", and NICE CKS
  "Back pain - low (without radiculopathy)": red flags for cauda equina, fracture, infection and
  cancer.
- GIRFT "National suspected cauda equina syndrome pathway" (NHS England, 2023): suspected cauda
  equina needs emergency assessment the same hour, not a routine appointment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from backcare.core.i18n import _

__all__ = [
    "ACTIONS",
    "ACTION_ADVICE",
    "PRINTED_ADVICE",
    "RED_FLAGS",
    "Action",
    "RedFlag",
    "ScreenResult",
    "assess",
]

Action = Literal["none", "doctor_this_week", "same_day", "emergency_now"]
ACTIONS: tuple[Action, ...] = get_args(Action)
"""Actions from least to most urgent; ``assess`` returns the most urgent that applies."""

ACTION_ADVICE: dict[Action, str] = {
    "none": _("No red flags reported. You can carry on with your programme."),
    "doctor_this_week": _(
        "Stop your exercise programme for now and book an appointment with your doctor (GP) in "
        "the next few days. Tell them about the symptom you reported. Your physiotherapist has "
        "been told."
    ),
    "same_day": _(
        "Stop your exercise programme and get seen by a doctor today: call your GP surgery and "
        "ask for an urgent same-day appointment, or go to an urgent care centre (in the UK you "
        "can call NHS 111). Your physiotherapist has been told."
    ),
    "emergency_now": _(
        "Stop exercising and go to a hospital emergency department now (or call an ambulance: "
        "999 in the UK, 112 in Europe, 911 in North America). These symptoms can mean pressure "
        "on the nerves at the base of the spine, which needs treatment within hours. Do not "
        "wait for your physiotherapist to reply."
    ),
}


PRINTED_ADVICE: dict[Action, str] = {
    "doctor_this_week": _(
        "Stop your exercise programme for now and book an appointment with your doctor (GP) in "
        'the next few days. Then tell your clinic, or report it in backcare under "I have a new '
        'symptom", so your physiotherapist knows: nobody is told until you do.'
    ),
    "same_day": _(
        "Stop your exercise programme and get seen by a doctor today: call your GP surgery and "
        "ask for an urgent same-day appointment, or go to an urgent care centre (in the UK you "
        'can call NHS 111). Then tell your clinic, or report it in backcare under "I have a new '
        'symptom".'
    ),
    "emergency_now": _(
        "Stop exercising and go to a hospital emergency department now (or call an ambulance: "
        "999 in the UK, 112 in Europe, 911 in North America). These symptoms can mean pressure "
        "on the nerves at the base of the spine, which needs treatment within hours. Do not "
        "wait to reach your physiotherapist first."
    ),
}
"""The same advice for paper (the programme handout): ACTION_ADVICE is shown *after* a report in
the app, when the clinic has been alerted; on paper nobody has been told yet, so the text says to
tell the clinic instead of saying it knows. Same actions and destinations as ACTION_ADVICE (see
docs/clinical-rules.md for their sources)."""


@dataclass(frozen=True)
class RedFlag:
    """One screening question, the condition it points to and the action a yes triggers."""

    key: str
    question: str
    condition: str
    action: Action
    source: str
    recheck: str | None = None
    """The question for a later re-check (weekly check-in, "I have a new symptom"), asking what
    is new; None for a flag that only makes sense at intake (a new episode of pain over 50)."""


_CES = _("possible cauda equina syndrome")
_FRACTURE = _("possible spinal fracture")
_INFECTION = _("possible spinal infection")
_CANCER = _("possible cancer in the spine")
_IFOMPT = "Finucane et al. 2020 (IFOMPT red-flag framework)"
_GIRFT = "GIRFT national suspected cauda equina pathway 2023; NICE CKS low back pain"
_NICE = "NICE NG59 / NICE CKS low back pain red flags"

RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "saddle_numbness",
        _(
            "Have you noticed numbness or pins and needles around your back passage, genitals or "
            "inner thighs (the area that would touch a saddle)?"
        ),
        _CES,
        "emergency_now",
        _GIRFT,
        recheck=_(
            "New numbness or pins and needles around your back passage, genitals or inner "
            "thighs (where you would sit on a saddle)"
        ),
    ),
    RedFlag(
        "bladder_bowel_change",
        _(
            "Have you had new trouble passing urine, lost control of your bladder or bowels, or "
            "stopped feeling when you need to go?"
        ),
        _CES,
        "emergency_now",
        _GIRFT,
        recheck=_(
            "New trouble passing urine, losing control of your bladder or bowels, or not "
            "feeling when you need to go"
        ),
    ),
    RedFlag(
        "leg_weakness",
        _("Are both legs weak or numb, or is weakness or numbness in a leg getting worse?"),
        _CES,
        "emergency_now",
        _GIRFT,
        recheck=_("Weakness or numbness in both legs, or in one leg and getting worse"),
    ),
    RedFlag(
        "bilateral_leg_pain",
        _("Do you have pain, numbness or pins and needles going down both legs?"),
        _CES,
        "emergency_now",
        _GIRFT,
        recheck=_("New pain, numbness or pins and needles going down both legs"),
    ),
    RedFlag(
        "sexual_dysfunction",
        _("Have you noticed a new loss of sexual sensation or function?"),
        _CES,
        "emergency_now",
        _GIRFT,
        recheck=_("A new loss of sexual sensation or function"),
    ),
    RedFlag(
        "significant_trauma",
        _(
            "Did this pain start after a serious accident or fall, such as a car crash or a fall "
            "from a height?"
        ),
        _FRACTURE,
        "same_day",
        _IFOMPT,
        recheck=_(
            "A serious accident or fall since your physiotherapist last checked, such as a "
            "car crash or a fall from a height"
        ),
    ),
    RedFlag(
        "minor_trauma_fragile_bone",
        _(
            "Did the pain start after a minor fall or lift, and do you have osteoporosis or take "
            "steroid tablets long term?"
        ),
        _FRACTURE,
        "same_day",
        _IFOMPT,
        recheck=_(
            "A minor fall or lift that made your back much worse, when you have osteoporosis "
            "or take steroid tablets long term"
        ),
    ),
    RedFlag(
        "fever",
        _("Do you have a fever, or feel hot and shivery, along with the back pain?"),
        _INFECTION,
        "same_day",
        _IFOMPT,
        recheck=_("A fever, or feeling hot and shivery, along with your back pain"),
    ),
    RedFlag(
        "immunosuppression_or_iv_drugs",
        _(
            "Do you have a weakened immune system (for example from medicines or illness), or have "
            "you injected drugs?"
        ),
        _INFECTION,
        "same_day",
        _IFOMPT,
        recheck=_(
            "Starting a medicine that weakens your immune system, or injecting drugs, since "
            "your last check"
        ),
    ),
    RedFlag(
        "cancer_history",
        _("Have you ever been treated for cancer?"),
        _CANCER,
        "doctor_this_week",
        _IFOMPT,
        recheck=_("Being diagnosed with, or treated for, cancer since your last check"),
    ),
    RedFlag(
        "weight_loss",
        _("Have you lost weight recently without trying?"),
        _CANCER,
        "doctor_this_week",
        _IFOMPT,
        recheck=_("Losing weight without trying"),
    ),
    RedFlag(
        "night_pain",
        _("Is the pain there all the time, with no position or rest that eases it, even at night?"),
        _CANCER,
        "doctor_this_week",
        _NICE,
        recheck=_("Pain that is constant, and no better in any position, even at night"),
    ),
    RedFlag(
        "new_pain_over_50",
        _("Are you over 50 and is this back pain new for you (not like pain you have had before)?"),
        _CANCER,
        "doctor_this_week",
        _NICE,
    ),
)
"""The screen. Cauda equina signs send the patient to an emergency department now because
delayed decompression risks permanent bladder, bowel and sexual dysfunction (GIRFT 2023). Fracture
and infection signs need a same-day medical assessment (imaging, blood tests). Cancer signs need
an urgent doctor's review within days rather than hours (IFOMPT 2020: suspicion rises with
combinations, so any one stops self-directed exercise until a doctor has looked)."""

_BY_KEY = {flag.key: flag for flag in RED_FLAGS}


@dataclass(frozen=True)
class ScreenResult:
    """The outcome of one screen: the flags answered yes and the action that follows."""

    positive: tuple[RedFlag, ...]
    action: Action

    @property
    def blocks_programme(self) -> bool:
        """Any red flag stops the programme until a clinician clears it."""
        return self.action != "none"

    @property
    def advice(self) -> str:
        """What the patient is told to do, in plain words."""
        return ACTION_ADVICE[self.action]


def assess(positive_keys: Iterable[str]) -> ScreenResult:
    """Map the keys answered yes to the flags and the most urgent action among them."""
    keys = list(positive_keys)
    unknown = [k for k in keys if k not in _BY_KEY]
    if unknown:
        raise ValueError(f"unknown red flag {unknown[0]!r}")
    positive = tuple(flag for flag in RED_FLAGS if flag.key in keys)
    action: Action = max((f.action for f in positive), key=ACTIONS.index, default="none")
    return ScreenResult(positive=positive, action=action)
