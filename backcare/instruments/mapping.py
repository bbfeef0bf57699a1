"""Choosing an imported questionnaire's scoring rule and checking its link-id → item key mapping.

A clinic's file names its questions with its own link-ids; a scoring rule knows its items by
position (``item1`` … ``itemN``, ``activity1`` … ``activity5``). The mapping joins the two, and is
checked at import so that every answer the patient can give is one the rule can score.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from backcare.core.instruments import RULES, Item, ScoringRule, find_rule
from backcare.instruments.fhir import Question, QuestionnaireProblem

__all__ = ["UNSCORED", "check_mapping", "default_mapping", "read_mapping", "resolve_rule"]

UNSCORED = "none"
"""The rule choice that imports a questionnaire without scoring it."""


def resolve_rule(choice: str, document: Mapping[str, Any]) -> ScoringRule | None:
    """The rule chosen (a code), none (``UNSCORED``), or the one the file names when ``choice``
    is blank: its canonical ``url``, else one of its ``derivedFrom`` canonicals."""
    if choice == UNSCORED:
        return None
    known = f"known rules: {', '.join(RULES)}, or {UNSCORED!r} to import it unscored"
    if choice:
        if choice not in RULES:
            raise QuestionnaireProblem([f"Unknown scoring rule {choice!r}; {known}."])
        return RULES[choice]
    references = [document["url"], *(document.get("derivedFrom") or [])]
    for reference in references:
        try:
            return find_rule(reference)
        except LookupError:
            continue
    named = " or ".join(repr(reference) for reference in references)
    raise QuestionnaireProblem([f"No scoring rule matches the canonical url {named}; {known}."])


def read_mapping(text: str | bytes | None) -> dict[str, str]:
    """A mapping file's content: a JSON object of link-id → item key (empty when not given)."""
    if not text or not str(text).strip():
        return {}
    try:
        mapping = json.loads(text)
    except RecursionError:
        raise QuestionnaireProblem(
            ["The mapping is nested too deeply to be a FHIR JSON file."]
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise QuestionnaireProblem([f"The mapping is not JSON: {error}."]) from None
    if not isinstance(mapping, dict) or not all(
        isinstance(value, str) for value in mapping.values()
    ):
        raise QuestionnaireProblem(
            ['The mapping must be a JSON object of link-id to item key, like {"q-1": "item1"}.']
        )
    return mapping


def default_mapping(questions: Sequence[Question], rule: ScoringRule) -> dict[str, str]:
    """Without a mapping file, link-ids that are already item keys (``item1``) map to themselves."""
    keys = {item.key for item in rule.items}
    return {q.link_id: q.link_id for q in questions if q.answerable and q.link_id in keys}


def check_mapping(
    questions: Sequence[Question], rule: ScoringRule | None, mapping: Mapping[str, str]
) -> list[str]:
    """Every reason the mapping cannot score this questionnaire with this rule (empty if fine)."""
    if rule is None:
        return (
            ["A mapping was given for an unscored questionnaire; choose a rule."] if mapping else []
        )
    by_link_id = {q.link_id: q for q in questions if q.answerable}
    items = {item.key: item for item in rule.items}
    reasons = []
    for link_id, key in mapping.items():
        if link_id not in by_link_id:
            reasons.append(
                f"The mapping names link-id {link_id!r}, which is not a question in the "
                "questionnaire."
            )
        if key not in items:
            reasons.append(
                f"The mapping names item key {key!r}, which is not an item of {rule.name} "
                f"(its items are {', '.join(items)})."
            )
        elif link_id in by_link_id:
            reasons.extend(_fit(by_link_id[link_id], items[key]))
    for key, count in Counter(mapping.values()).items():
        if count > 1 and key in items:
            reasons.append(f"The mapping maps {count} link-ids to {key!r}; one answer per item.")
    mapped = set(mapping.values()) & set(items)
    missing = [item.key for item in rule.items if item.required and item.key not in mapped]
    if missing:
        reasons.append(
            f"The mapping is incomplete: {rule.name} needs {', '.join(missing)}, which no "
            "link-id maps to."
        )
    elif len(mapped) < rule.min_answered:
        reasons.append(
            f"The mapping is incomplete: {rule.name} needs at least {rule.min_answered} of its "
            f"{len(items)} items mapped, got {len(mapped)}."
        )
    return reasons


def _fit(question: Question, item: Item) -> list[str]:
    """Whether a question's answers are what the item scores (options least severe first)."""
    size = item.high - item.low + 1
    where = f"Item {question.link_id!r} (mapped to {item.key}"
    if item.kind == "yes_no":
        if question.type == "boolean" or (question.type == "choice" and len(question.options) == 2):
            return []
        return [f"{where}, yes/no) must be a boolean, or a choice of two options, 'no' first."]
    if question.type == "integer" or (question.type == "choice" and len(question.options) == size):
        return []
    if question.type == "choice":
        return [
            f"{where}, {item.low}–{item.high}) offers {len(question.options)} options; it needs "
            f"{size}, least severe first."
        ]
    return [
        f"{where}, {item.low}–{item.high}) must be an integer or a choice, not {question.type}."
    ]
