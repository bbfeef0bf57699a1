"""The import form, the assignment form, and the questionnaire built from a FHIR file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backcare.core.instruments import CODES, RULES
from backcare.instruments.fhir import Question
from backcare.instruments.mapping import UNSCORED
from backcare.instruments.models import Assignment, Instrument

MAX_UPLOAD_BYTES = 2_000_000
"""A questionnaire is a few kilobytes of JSON; anything this big is not one."""

RULE_FIELD_CHOICES = [
    ("", _("Match the file's canonical url")),
    *((code, RULES[code].name) for code in CODES),
    (UNSCORED, _("Not scored")),
]


def _read(upload: UploadedFile[bytes] | None, pasted: str) -> str | bytes:
    if upload is None:
        return pasted
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("The file is too large to be a questionnaire."))
    return bytes(upload.read())


class ImportForm(forms.Form):
    """A FHIR R4 Questionnaire (uploaded or pasted), its scoring rule, mapping and licence."""

    questionnaire_file = forms.FileField(
        label=_("Questionnaire file (FHIR R4 JSON)"), required=False
    )
    questionnaire_json = forms.CharField(
        label=_("…or paste the JSON"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    rule = forms.ChoiceField(label=_("Scoring rule"), choices=RULE_FIELD_CHOICES, required=False)
    mapping_file = forms.FileField(label=_("Mapping file (JSON, optional)"), required=False)
    mapping_json = forms.CharField(
        label=_("…or paste the mapping"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.CharField(label=_("Owner (copyright holder)"), max_length=300)
    licence = forms.CharField(label=_("Licence terms"), widget=forms.Textarea(attrs={"rows": 3}))
    attribution = forms.CharField(
        label=_("Required attribution"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("questionnaire_file") and not cleaned.get("questionnaire_json"):
            self.add_error("questionnaire_file", _("Upload a file or paste the JSON."))
            return cleaned
        try:
            cleaned["questionnaire"] = _read(
                cleaned.get("questionnaire_file"), cleaned.get("questionnaire_json", "")
            )
            cleaned["mapping"] = _read(cleaned.get("mapping_file"), cleaned.get("mapping_json", ""))
        except forms.ValidationError as error:
            self.add_error(None, error)
        return cleaned


class AssignForm(forms.Form):
    """Which of the clinic's instruments to ask the patient to answer, when, and by when."""

    instrument = forms.ModelChoiceField(queryset=Instrument.objects.none())
    context = forms.ChoiceField(label=_("When"), choices=Assignment.Context.choices)
    due = forms.DateField(
        label=_("Due (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, instruments: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]


YES_NO = [("true", _("Yes")), ("false", _("No"))]


class QuestionnaireForm(forms.Form):
    """One field per question of the clinic's file; the FHIR ``required`` flag is enforced."""

    def __init__(self, questions: list[Question], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.field_of: dict[str, str] = {}
        for index, question in enumerate(questions):
            if question.answerable:
                name = f"q{index}"
                self.fields[name] = _field(question)
                self.field_of[question.link_id] = name

    def entries(self) -> list[tuple[Question, forms.BoundField | None]]:
        """Each item in order with its field (``None`` for a group heading or display text)."""
        return [
            (q, self[self.field_of[q.link_id]] if q.link_id in self.field_of else None)
            for q in self.questions
        ]

    def answers(self) -> dict[str, Any]:
        """The cleaned answers keyed by link-id; ``None`` where a question was left blank."""
        return {link_id: self.cleaned_data.get(name) for link_id, name in self.field_of.items()}

    def add_answer_error(self, link_id: str | None, problem: str) -> None:
        """Put a scoring problem on its question, or on the form when it names none."""
        self.add_error(
            self.field_of.get(link_id or ""),
            gettext("This answer cannot be scored: %(problem)s") % {"problem": problem},
        )


def _field(question: Question) -> forms.Field:
    common: dict[str, Any] = {"label": question.label, "required": question.required}
    if question.type == "boolean":
        return forms.TypedChoiceField(
            choices=YES_NO,
            coerce=lambda v: v == "true",
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    if question.type == "integer":
        return forms.IntegerField(
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **common
        )
    if question.type == "choice":
        return forms.TypedChoiceField(
            choices=[(str(i), option.label) for i, option in enumerate(question.options)],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    widget = forms.Textarea(attrs={"rows": 3}) if question.type == "text" else forms.TextInput
    return forms.CharField(max_length=question.max_length, widget=widget, **common)
