"""The clinic's clinical rules: the settings form, generated from the ``Thresholds`` and
``ChangeThresholds`` dataclasses and their metadata (so a new threshold appears on the page without
a form change), and storing, resetting and listing the audited changes.

The core's own validation is the only rule: the form builds ``Thresholds(...)`` and shows the
``ValueError`` it raises next to the field it names. Only values that differ from the defaults
are stored, so a later change of a default reaches every clinic that never set that value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any, get_args, get_type_hints

from django import forms
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from backcare.accounts.models import Clinic, User
from backcare.accounts.rules import thresholds_for
from backcare.accounts.zone_forms import ACTION as ZONE_ACTION
from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.core.instruments import OUTCOME_RANGES, OUTCOMES, RULES, ChangeThresholds, Combine
from backcare.core.progression import THRESHOLD_HELP, Thresholds

ACTION = "clinic.rules.update"
DEFAULTS = Thresholds()
NAMES = tuple(spec.name for spec in fields(Thresholds) if spec.name != "change")
"""The plain-number thresholds; ``change`` is a ``ChangeThresholds`` with fields of its own."""

PERCENT, COMBINE = "change_relative_percent", "change_combine"
COMBINE_HELP = {
    "either": gettext_lazy(
        "either rule is enough: the smaller of the two (default; DESIGN §3, Ostelo 2008)"
    ),
    "both": gettext_lazy(
        "both rules must be met: the larger of the two, the cautious reading for one patient"
    ),
}
LABELS = (
    gettext_noop("Max pain rise during (0–10)"),
    gettext_noop("Next morning tolerance (0–10)"),
    gettext_noop("Pain spike (0–10)"),
    gettext_noop("Spike refer weeks"),
    gettext_noop("Adherence min sessions"),
    gettext_noop("Adherence window days"),
    gettext_noop("Min share of exercises done"),
    gettext_noop("Min days in initial"),
    gettext_noop("Min days in intermediate"),
    gettext_noop("Recent days"),
    gettext_noop("Recent sessions"),
    gettext_noop("Regress pain rise sessions"),
    gettext_noop("Regress next morning sessions"),
    gettext_noop("Refer not improving after days"),
    gettext_noop("No log days"),
)
"""The labels ``_label`` makes of the threshold names, for the catalogue (a new threshold shows
its English label until it is translated)."""


def _points_key(outcome: str) -> str:
    return f"change_{outcome}"


def _label(name: str) -> str:
    """``pain_spike_0_10`` → "Pain spike (0–10)"."""
    base, scale = (name.removesuffix("_0_10"), " (0–10)") if name.endswith("_0_10") else (name, "")
    return base.replace("_", " ").capitalize() + scale


def _number(value: Any) -> str:
    return (
        gettext("off")
        if value is None
        else f"{value:g}"
        if isinstance(value, float)
        else str(value)
    )


def flatten(thresholds: Thresholds) -> dict[str, Any]:
    """Every value the form edits, keyed by form field name."""
    change = thresholds.change
    return (
        {name: getattr(thresholds, name) for name in NAMES}
        | {_points_key(o): change.absolute_for(o) for o in OUTCOMES}
        | {PERCENT: change.relative_percent, COMBINE: change.combine}
    )


def overrides(thresholds: Thresholds) -> dict[str, Any]:
    """``rule_settings`` for ``thresholds``: only what differs from the defaults, in the shape
    ``accounts.rules.thresholds_for`` reads."""
    stored = {
        n: getattr(thresholds, n) for n in NAMES if getattr(thresholds, n) != getattr(DEFAULTS, n)
    }
    change, default = thresholds.change, DEFAULTS.change
    chosen: dict[str, Any] = {
        spec.name: getattr(change, spec.name)
        for spec in fields(ChangeThresholds)
        if spec.name != "absolute" and getattr(change, spec.name) != getattr(default, spec.name)
    }
    absolute = {o: change.absolute_for(o) for o in OUTCOMES}
    absolute = {o: v for o, v in absolute.items() if v != default.absolute_for(o)}
    if absolute:
        chosen["absolute"] = absolute
    return stored | ({"change": chosen} if chosen else {})


def current_thresholds(clinic: Clinic) -> tuple[Thresholds, bool]:
    """The clinic's thresholds, and whether what it stored could be read (if not: defaults)."""
    try:
        return thresholds_for(clinic), True
    except (TypeError, ValueError):
        return DEFAULTS, False


def _threshold_field(name: str) -> forms.Field:
    spec = next(s for s in fields(Thresholds) if s.name == name)
    kind = get_type_hints(Thresholds)[name]
    field_class = {int: forms.IntegerField, float: forms.FloatField}[kind]
    low, high = spec.metadata["low"], spec.metadata["high"]
    # the bounds guide the browser; the server-side check is Thresholds' own
    attrs = {"min": low, "max": high, "step": 1 if kind is int else "any"}
    attrs = {k: v for k, v in attrs.items() if v is not None}
    default = getattr(DEFAULTS, name)
    return field_class(
        label=gettext(_label(name)),
        help_text=gettext(spec.metadata["help"]),
        widget=forms.NumberInput(attrs=attrs | {"placeholder": _number(default)}),
    )


def _change_fields() -> dict[str, forms.Field]:
    default = DEFAULTS.change
    points = {}
    for outcome in OUTCOMES:
        low, high = OUTCOME_RANGES[outcome]
        name = RULES[outcome].name if outcome in RULES else outcome.capitalize()
        points[_points_key(outcome)] = forms.FloatField(
            label=gettext("%(name)s (%(low)s–%(high)s) points")
            % {"name": name, "low": f"{low:g}", "high": f"{high:g}"},
            help_text=gettext(
                "A change of at least this many points on the %(low)s–%(high)s scale counts "
                "as clinically important. More than 0. The source of each default is in "
                "docs/clinical-rules.md (Ostelo et al. 2008 for pain, ODI and Roland-Morris)."
            )
            % {"low": f"{low:g}", "high": f"{high:g}"},
            widget=forms.NumberInput(
                attrs={
                    "min": 0,
                    "step": "any",
                    "placeholder": _number(default.absolute_for(outcome)),
                }
            ),
        )
    percent = forms.FloatField(
        required=False,
        label=gettext("Relative rule: percent of the baseline"),
        help_text=gettext(
            "An improvement of at least this percentage of the baseline's distance from the best "
            "score counts as important (Ostelo 2008: 30 %). Improvement only: a worsening is "
            "judged by the points. Leave blank to turn the relative rule off."
        ),
        widget=forms.NumberInput(
            attrs={
                "min": 0,
                "max": 100,
                "step": "any",
                "placeholder": _number(default.relative_percent),
            }
        ),
    )
    combine = forms.ChoiceField(
        label=gettext("Combine the points and the relative rule"),
        choices=[(c, f"{c}: {COMBINE_HELP[c]}") for c in get_args(Combine)],
        help_text=gettext(
            "How an improvement is judged when both the points and the relative rule apply."
        ),
    )
    return points | {PERCENT: percent, COMBINE: combine}


def rule_fields() -> dict[str, forms.Field]:
    """A form field for every threshold, generated from the dataclasses' fields and metadata."""
    return {name: _threshold_field(name) for name in NAMES} | _change_fields()


def labels() -> dict[str, str]:
    """Each form field's label, for naming the values in the audited changes."""
    return {key: str(field.label) for key, field in rule_fields().items()}


def _field_named_in(message: str) -> str | None:
    """The form field a core error message is about: the field name it mentions first."""
    names = {name: name for name in NAMES} | {o: _points_key(o) for o in OUTCOMES}
    names |= {"relative_percent": PERCENT, "combine": COMBINE}
    found = [(m.start(), key) for n, key in names.items() if (m := re.search(rf"\b{n}\b", message))]
    return min(found)[1] if found else None


@dataclass(frozen=True)
class Row:
    """One setting on the page: its bound field and its default as text."""

    field: forms.BoundField
    default: str


class ClinicRulesForm(forms.Form):
    """Every threshold of one clinic, with its current value as the initial one."""

    @property
    def change_help(self) -> str:
        return gettext(THRESHOLD_HELP["change"])

    def __init__(self, clinic: Clinic, *args: Any, **kwargs: Any) -> None:
        self.clinic = clinic
        current, self.stored_readable = current_thresholds(clinic)
        kwargs.setdefault("initial", flatten(current))
        super().__init__(*args, **kwargs)
        self.fields.update(rule_fields())
        self.thresholds: Thresholds | None = None

    def _rows(self, keys: list[str]) -> list[Row]:
        defaults = flatten(DEFAULTS)
        return [Row(self[key], _number(defaults[key])) for key in keys]

    @property
    def threshold_rows(self) -> list[Row]:
        return self._rows(list(NAMES))

    @property
    def change_rows(self) -> list[Row]:
        return self._rows([_points_key(o) for o in OUTCOMES] + [PERCENT, COMBINE])

    def clean(self) -> dict[str, Any]:
        """Validate by building the core's dataclasses; each refusal goes to the field it names."""
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        change = plain = None
        try:
            change = ChangeThresholds(
                absolute={o: cleaned[_points_key(o)] for o in OUTCOMES},
                relative_percent=cleaned[PERCENT],
                combine=cleaned[COMBINE],
            )
        except ValueError as error:
            self.add_error(_field_named_in(str(error)), str(error))
        try:
            plain = Thresholds(**{name: cleaned[name] for name in NAMES})
        except ValueError as error:
            self.add_error(_field_named_in(str(error)), str(error))
        if change is not None and plain is not None:
            self.thresholds = replace(plain, change=change)
        return cleaned

    def save(self, actor: User) -> dict[str, dict[str, Any]]:
        """Store the clinic's thresholds and audit the change; returns what changed."""
        assert self.thresholds is not None, "save() needs a valid form"
        return store(actor, self.clinic, self.thresholds)


@transaction.atomic
def store(actor: User, clinic: Clinic, thresholds: Thresholds) -> dict[str, dict[str, Any]]:
    """Make ``thresholds`` the clinic's, storing only the values that differ from the defaults;
    audits what changed. Nothing is written when the stored settings stay the same."""
    locked = Clinic.objects.select_for_update().get(pk=clinic.pk)
    before = flatten(current_thresholds(locked)[0])
    after = flatten(thresholds)
    changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    ours = set(NAMES) | {"change"}
    settings = {k: v for k, v in (locked.rule_settings or {}).items() if k not in ours}
    settings |= overrides(thresholds)
    if settings != locked.rule_settings:
        locked.rule_settings = settings
        locked.save(update_fields=["rule_settings"])
        clinic.rule_settings = settings
        # clinic configuration, not patient data: no patient_id
        trail.note(actor, ACTION, obj=locked, changed=changed)
    return changed


def describe(changed: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """An audited change as (label, from, to) lines for the history list."""
    names = labels() | {"time_zone": gettext("Time zone")}
    return [
        (names.get(key, key), _number(values.get("from")), _number(values.get("to")))
        for key, values in changed.items()
    ]


def reset(actor: User, clinic: Clinic) -> dict[str, dict[str, Any]]:
    """Back to the defaults (and to whatever the defaults become later); audited."""
    return store(actor, clinic, DEFAULTS)


def history(clinic: Clinic, limit: int = 50) -> list[tuple[AuditEvent, list[tuple[str, str, str]]]]:
    """Who changed the clinic's rules or time zone, when, and from what to what; newest first."""
    events = AuditEvent.objects.filter(
        action__in=[ACTION, ZONE_ACTION], object_type=Clinic._meta.label, object_id=str(clinic.pk)
    ).select_related("actor")[:limit]
    return [(event, describe(event.detail.get("changed", {}))) for event in events]
