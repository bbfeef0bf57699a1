"""Document test set-up: time frozen on Wednesday 12 March 2025, and PDFs read back as text."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from pypdf import PdfReader

NOW = datetime(2025, 3, 12, 8, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_time(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def pdf_pages(content: bytes) -> list[str]:
    """Each page's extracted text, whitespace folded (lines wrap wherever the width says)."""
    assert content.startswith(b"%PDF-"), content[:40]
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pdf_text(content: bytes) -> str:
    """The whole document's text, whitespace folded."""
    return " ".join(pdf_pages(content))


def folded(text: str) -> str:
    """``text`` with its whitespace folded as ``pdf_text`` folds it."""
    return " ".join(text.split())
