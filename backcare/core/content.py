"""Content files (exercises, their translations, motion profiles) checked against pydantic models.

Each file is TOML written by a content author, not a programmer, so every problem is reported as
one :class:`LibraryError` naming the file, the place in it (``key_poses[1].hip_deg``) and what is
wrong, in words rather than pydantic's. A model of a file's table subclasses :class:`ContentModel`:
types are strict (``"3"`` is not 3, ``true`` is not 1), text is stripped, numbers are finite and
an unknown key is an error, so a misspelt field is never silently ignored. A check of our own (a
rule across fields, a value from a list) raises :func:`problem`, naming the field it blames.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError

__all__ = ["ContentModel", "Degrees", "LibraryError", "Text", "problem", "read_toml", "validate"]


class LibraryError(ValueError):
    """A content file is invalid; the message names the file and the field."""

    def __init__(self, source: str, field_path: str, problem: str) -> None:
        self.source = source
        self.field_path = field_path
        self.problem = problem
        super().__init__(f"{source}: {field_path}: {problem}")


Text = Annotated[str, Field(min_length=1)]
"""Text that is not empty once stripped."""
Degrees = Annotated[float, Field(ge=-180, le=180)]
"""An angle of a body part or a signal, a half turn either way at most."""


def problem(message: str, *, key: str | None = None, **values: str) -> PydanticCustomError:
    """Our own validation error, in words; ``message`` may name ``values`` in braces. A rule over
    a whole table names the ``key`` it blames, which the error's place then ends with."""
    return PydanticCustomError("content", message, {**values, "key": key} if key else values)


class ContentModel(BaseModel):
    """One table of a content file. ``what`` names it in an unknown-key error ("a key pose")."""

    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )
    what: ClassVar[str]

    @model_validator(mode="before")
    @classmethod
    def _only_known_keys(cls, raw: Any) -> Any:
        if isinstance(raw, Mapping):
            unknown = sorted(str(key) for key in raw if key not in cls.model_fields)
            if unknown:
                raise problem("is not a field of {what}", key=unknown[0], what=cls.what)
        return raw


Model = TypeVar("Model", bound=ContentModel)


def validate(model: type[Model], raw: Mapping[str, Any], source: str) -> Model:
    """``raw`` (a file's parsed TOML) as ``model``; ``source`` (the file name) goes in the error."""
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        raise LibraryError(source, _place(first), _words(first)) from None


def read_toml(path: Path, source: str) -> dict[str, Any]:
    """A content file's parsed TOML; a syntax error is a :class:`LibraryError` on ``(file)``."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise LibraryError(source, "(file)", f"is not valid TOML: {error}") from error


def _place(error: ErrorDetails) -> str:
    """The error's location as an author reads it: ``key_poses[1].hip_deg``."""
    steps = [*error["loc"]]
    if error["type"] == "content" and "key" in error.get("ctx", {}):
        steps.append(error["ctx"]["key"])
    place = ""
    for step in steps:
        place += f"[{step}]" if isinstance(step, int) else f".{step}"
    return place.removeprefix(".")


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "a table",
}


def _words(error: ErrorDetails) -> str:
    """What is wrong, in the words the hand-written checks used before pydantic."""
    kind, given, ctx = error["type"], error["input"], error.get("ctx", {})
    if kind == "missing":
        return "is missing"
    if kind in _EXPECTED:
        return f"must be {_EXPECTED[kind]}, got {type(given).__name__}"
    if kind == "literal_error":
        return f"{given!r} is not one of {ctx['expected']}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']:g}, got {given:g}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']:g}, got {given:g}"
    if kind == "finite_number":
        return "must be a finite number"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        least = ctx["min_length"]
        return f"needs at least {least} {'entry' if least == 1 else 'entries'}"
    return error["msg"]  # our own rules' messages, and anything pydantic says that is not above
