"""A clinic's clinical rules: the core's default thresholds with the clinic's own changes."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from backcare.accounts.models import Clinic
from backcare.core.instruments import ChangeThresholds
from backcare.core.progression import Thresholds


def thresholds_for(clinic: Clinic) -> Thresholds:
    """The clinic's thresholds: the defaults, with the clinic's own values where it set them
    (``rule_settings``: Thresholds fields, and ``change`` holding ChangeThresholds fields)."""
    chosen = dict(clinic.rule_settings or {})
    names = {f.name for f in fields(Thresholds)} - {"change"}
    overrides: dict[str, Any] = {k: v for k, v in chosen.items() if k in names}
    if isinstance(chosen.get("change"), dict):
        overrides["change"] = ChangeThresholds(**chosen["change"])
    return Thresholds(**overrides)
