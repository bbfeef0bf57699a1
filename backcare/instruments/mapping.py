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

from django.utils.translation import gettext

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
    known = gettext("known rules: %(rules)s, or %(none)s to import it unscored") % {
        "rules": ", ".join(RULES),
        "none": repr(UNSCORED),
    }
    if choice:
        if choice not in RULES:
            raise QuestionnaireProblem(
                [
                    gettext("Unknown scoring rule %(rule)s; %(known)s.")
                    % {"rule": repr(choice), "known": known}
                ]
            )
        return RULES[choice]
    references = [document["url"], *(document.get("derivedFrom") or [])]
    for reference in references:
        try:
            return find_rule(reference)
        except LookupError:
            continue
    named = gettext(" or ").join(repr(reference) for reference in references)
    raise QuestionnaireProblem(
        [
            gettext("No scoring rule matches the canonical url %(url)s; %(known)s.")
            % {"url": named, "known": known}
        ]
    )


def read_mapping(text: str | bytes | None) -> dict[str, str]:
    """A mapping file's content: a JSON object of link-id → item key (empty when not given)."""
    if not text or not str(text).strip():
        return {}
    try:
        mapping = json.loads(text)
    except RecursionError:
        raise QuestionnaireProblem(
            [gettext("The mapping is nested too deeply to be a FHIR JSON file.")]
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise QuestionnaireProblem(
            [gettext("The mapping is not JSON: %(error)s.") % {"error": error}]
        ) from None
    if not isinstance(mapping, dict) or not all(
        isinstance(value, str) for value in mapping.values()
    ):
        raise QuestionnaireProblem(
            [
                gettext(
                    "The mapping must be a JSON object of link-id to item key, like "
                    '{"q-1": "item1"}.'
                )
            ]
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
        unscored = gettext("A mapping was given for an unscored questionnaire; choose a rule.")
        return [unscored] if mapping else []
    by_link_id = {q.link_id: q for q in questions if q.answerable}
    items = {item.key: item for item in rule.items}
    reasons = []
    for link_id, key in mapping.items():
        numbers = {
            "link_id": repr(link_id),
            "key": repr(key),
            "rule": rule.name,
            "items": ", ".join(items),
        }
        if link_id not in by_link_id:
            reasons.append(
                gettext(
                    "The mapping names link-id %(link_id)s, which is not a question in the "
                    "questionnaire."
                )
                % numbers
            )
        if key not in items:
            reasons.append(
                gettext(
                    "The mapping names item key %(key)s, which is not an item of %(rule)s (its "
                    "items are %(items)s)."
                )
                % numbers
            )
        elif link_id in by_link_id:
            reasons.extend(_fit(by_link_id[link_id], items[key]))
    for key, count in Counter(mapping.values()).items():
        if count > 1 and key in items:
            reasons.append(
                gettext("The mapping maps %(count)s link-ids to %(key)s; one answer per item.")
                % {"count": count, "key": repr(key)}
            )
    mapped = set(mapping.values()) & set(items)
    missing = [item.key for item in rule.items if item.required and item.key not in mapped]
    if missing:
        reasons.append(
            gettext(
                "The mapping is incomplete: %(rule)s needs %(missing)s, which no link-id maps to."
            )
            % {"rule": rule.name, "missing": ", ".join(missing)}
        )
    elif len(mapped) < rule.min_answered:
        reasons.append(
            gettext(
                "The mapping is incomplete: %(rule)s needs at least %(least)s of its %(count)s "
                "items mapped, got %(mapped)s."
            )
            % {
                "rule": rule.name,
                "least": rule.min_answered,
                "count": len(items),
                "mapped": len(mapped),
            }
        )
    return reasons


def _fit(question: Question, item: Item) -> list[str]:
    """Whether a question's answers are what the item scores (options least severe first)."""
    size = item.high - item.low + 1
    numbers = {
        "link_id": repr(question.link_id),
        "key": item.key,
        "low": item.low,
        "high": item.high,
        "options": len(question.options),
        "size": size,
        "kind": question.type,
    }
    if item.kind == "yes_no":
        if question.type == "boolean" or (question.type == "choice" and len(question.options) == 2):
            return []
        return [
            gettext(
                "Item %(link_id)s (mapped to %(key)s, yes/no) must be a boolean, or a choice of "
                "two options, 'no' first."
            )
            % numbers
        ]
    if question.type == "integer" or (question.type == "choice" and len(question.options) == size):
        return []
    if question.type == "choice":
        return [
            gettext(
                "Item %(link_id)s (mapped to %(key)s, %(low)s–%(high)s) offers %(options)s "
                "options; it needs %(size)s, least severe first."
            )
            % numbers
        ]
    return [
        gettext(
            "Item %(link_id)s (mapped to %(key)s, %(low)s–%(high)s) must be an integer or a "
            "choice, not %(kind)s."
        )
        % numbers
    ]
