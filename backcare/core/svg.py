"""Numbers written into SVG, the same way by the exercise figures and the outcome charts."""

__all__ = ["num"]


def num(v: float) -> str:
    """A number for the SVG: one decimal, never "-0.0", so a drawing's bytes never depend on
    float noise or the sign of a zero."""
    text = f"{v:.1f}"
    return "0.0" if text == "-0.0" else text
