"""The export covers every model that holds something about a patient (a meta-test)."""

from __future__ import annotations

from typing import Any

from django.apps import apps

from backcare.patients.models import Patient
from backcare.rights.registry import (
    NOT_EXPORTED,
    SECTIONS,
    paths_to_subjects,
    patient_linked_models,
)


def _labels() -> set[str]:
    return {model._meta.label for model in patient_linked_models()}


def test_every_patient_linked_model_is_exported_or_excluded_with_a_reason() -> None:
    exported = {section.model_label for section in SECTIONS}
    missing = sorted(_labels() - exported - set(NOT_EXPORTED))
    assert missing == [], "add these models to SECTIONS or to NOT_EXPORTED (with the reason)"


def test_no_model_is_both_exported_and_excluded_or_listed_without_a_link() -> None:
    exported = [section.model_label for section in SECTIONS]
    assert len(exported) == len(set(exported))
    assert set(exported).isdisjoint(NOT_EXPORTED)
    assert sorted((set(exported) | set(NOT_EXPORTED)) - _labels()) == []
    assert all(reason.strip() for reason in NOT_EXPORTED.values())


def test_it_finds_models_linked_to_a_patient_through_several_hops() -> None:
    assert "exercise_log__session__patient" in paths_to_subjects(
        apps.get_model("motion.MotionAnalysis")
    )
    assert "actor" in paths_to_subjects(apps.get_model("audit.AuditEvent"))  # via the user
    assert "library.Exercise" not in _labels()  # the library holds nothing about anyone


def test_each_section_path_leads_from_its_model_to_the_patient() -> None:
    for section in SECTIONS:
        model: Any = section.model
        for part in section.path.split("__"):
            model = model._meta.get_field(part).related_model
        assert model is Patient, section.name
        assert section.path in paths_to_subjects(section.model)


def test_sections_come_before_the_sections_they_point_to_so_deletion_never_hits_protect() -> None:
    order = {section.model_label: index for index, section in enumerate(SECTIONS)}
    for section in SECTIONS:
        for field in section.model._meta.get_fields():
            target = getattr(field, "related_model", None)
            linked = (field.many_to_one or field.one_to_one) and not field.auto_created
            if linked and target in {s.model for s in SECTIONS} - {section.model}:
                assert order[section.model_label] < order[target._meta.label], (
                    f"{section.name} points to {target._meta.label}"
                )


def test_every_column_that_looks_secret_is_left_out_of_its_section() -> None:
    secret = ("token", "password", "secret", "otp", "recovery")
    exposed = [
        f"{section.name}.{field.name}"
        for section in SECTIONS
        for field in section.model._meta.concrete_fields
        if any(word in field.name for word in secret) and field.name not in section.secrets
    ]
    assert exposed == []
