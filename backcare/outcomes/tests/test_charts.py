"""The SVG charts, as plain tables: no database, no Django."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from backcare.outcomes.charts import (
    BACKGROUND,
    BAND,
    MARK_COLOURS,
    SERIES_COLOURS,
    Band,
    Bar,
    Point,
    Reference,
    Series,
    render_timeline,
    render_weekly_bars,
)

SVG = "{http://www.w3.org/2000/svg}"
MONDAY = date(2025, 3, 3)


def days(*values: float, marks: dict[int, Any] | None = None) -> list[Point]:
    """Points on consecutive days from Monday 3 March 2025, ``marks`` by index."""
    marks = marks or {}
    return [Point(MONDAY + timedelta(days=i), v, marks.get(i)) for i, v in enumerate(values)]


def timeline(*series: Series, **options: Any) -> str:
    defaults: dict[str, Any] = {"title": "Pain over time", "y_range": (0, 10), "y_label": "Pain"}
    return render_timeline(series, **defaults | options)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def texts(root: ET.Element) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]


WAKING = Series("Pain on waking", days(6, 5, 5, 4))
WEEKLY = Series("Weekly average", days(5.5, 3.5, marks={1: "important_improvement"}))
SAMPLES = [
    timeline(WAKING),
    timeline(WAKING, WEEKLY, bands=[Band(4, 8, "no important change")]),
    timeline(Series("empty", [])),
    render_weekly_bars([Bar(MONDAY, 80, "4/5")], title="Sessions", y_label="%"),
    render_weekly_bars([], title="Sessions", y_label="%"),
]


@pytest.mark.parametrize("svg", SAMPLES)
def test_it_draws_valid_accessible_svg(svg: str) -> None:
    root = parse(svg)

    assert root.tag == f"{SVG}svg"
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox", ""))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


@pytest.mark.parametrize("svg", SAMPLES)
def test_it_draws_no_script_style_or_external_reference(svg: str) -> None:
    root = parse(svg)

    tags = {e.tag.removeprefix(SVG) for e in root.iter()}
    assert tags.isdisjoint({"script", "style", "image", "a", "use", "foreignObject"})
    attributes = [(name, value) for e in root.iter() for name, value in e.attrib.items()]
    assert [n for n, _ in attributes if "href" in n or n.startswith("on")] == []
    assert [v for _, v in attributes if "url(" in v] == []


@pytest.mark.parametrize(
    ("series", "count"),
    [
        ([WAKING], 4),
        ([WAKING, WEEKLY], 6),
        ([Series("one", days(3))], 1),
        ([Series("markers only", days(1, 2, 3), line=False)], 3),
    ],
)
def test_it_draws_one_marker_per_value(series: list[Series], count: int) -> None:
    root = parse(timeline(*series))

    assert len(with_class(root, "point")) == count


@pytest.mark.parametrize(
    ("series", "lines"),
    [([WAKING], 1), ([Series("markers only", days(1, 2, 3), line=False)], 0)],
)
def test_it_joins_a_series_with_a_line_unless_told_not_to(series: list[Series], lines: int) -> None:
    assert len(list(parse(timeline(*series)).iter(f"{SVG}polyline"))) == lines


@pytest.mark.parametrize(("bands", "drawn"), [([], 0), ([Band(4, 8, "no important change")], 1)])
def test_it_shades_a_band_only_when_given(bands: list[Band], drawn: int) -> None:
    root = parse(timeline(WAKING, bands=bands))

    assert len(with_class(root, "band")) == drawn
    assert ("no important change" in texts(root)) == bool(drawn)


def test_it_draws_a_reference_line_with_its_label() -> None:
    root = parse(timeline(WAKING, references=[Reference(7, "at the start: 7")]))

    assert len(with_class(root, "reference")) == 1
    assert "at the start: 7" in texts(root)


@pytest.mark.parametrize(
    ("marks", "improvements", "worsenings", "label"),
    [
        ({}, 0, 0, None),
        ({3: "no_important_change"}, 0, 0, None),
        ({2: "important_improvement", 3: "important_improvement"}, 2, 0, "important improvement"),
        ({1: "important_improvement", 3: "important_worsening"}, 1, 1, "important worsening"),
    ],
)
def test_it_marks_important_changes_by_shape_and_names_the_latest(
    marks: dict[int, Any], improvements: int, worsenings: int, label: str | None
) -> None:
    root = parse(timeline(Series("Pain", days(6, 5, 3, 2, marks=marks))))

    assert len(with_class(root, "important_improvement")) == improvements
    assert len(with_class(root, "important_worsening")) == worsenings
    named = [t for t in texts(root) if t.startswith("important")]
    kinds = len({m for m in marks.values() if m != "no_important_change"})
    assert len(named) == kinds + (1 if label else 0)  # each kind in the legend, the latest beside
    if label:
        assert named.count(label) == 2


def test_it_describes_the_data_in_words() -> None:
    svg = timeline(WEEKLY, summary="Pain came down.", bands=[Band(4, 8, "no important change")])

    desc = parse(svg).find(f"{SVG}desc")
    assert desc is not None
    assert desc.text == (
        "Pain came down. Weekly average: 2 values from 3 Mar 2025 to 4 Mar 2025, first 5.5, "
        "last 3.5; latest change (4 Mar 2025): important improvement. "
        "Shaded: no important change, 4 to 8."
    )


@pytest.mark.parametrize("render", [lambda: timeline(WAKING, WEEKLY), lambda: SAMPLES[3]])
def test_it_draws_the_same_bytes_for_the_same_data(render: Any) -> None:
    assert render() == render()


def test_it_labels_mondays_on_the_date_axis() -> None:
    points = [Point(MONDAY + timedelta(days=d), 3) for d in (0, 9, 20)]

    labels = texts(parse(timeline(Series("Pain", points))))

    assert {"3 Mar", "10 Mar", "17 Mar"} <= set(labels)


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (timeline(), "No data yet"),
        (timeline(Series("Pain", [])), "No data yet"),
        (timeline(Series("Pain", []), empty_text="No pain ratings yet"), "No pain ratings yet"),
        (render_weekly_bars([], title="Sessions", y_label="%"), "No data yet"),
    ],
)
def test_it_says_so_when_there_is_no_data_yet(svg: str, message: str) -> None:
    root = parse(svg)

    assert message in texts(root)
    assert with_class(root, "point") == []
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text == message


def test_it_escapes_every_piece_of_text() -> None:
    nasty = '<script>alert("x")</script> & co'
    svg = timeline(
        Series(nasty, days(1, 2)),
        title=nasty,
        y_label=nasty,
        summary=nasty,
        references=[Reference(1, nasty)],
        bands=[Band(1, 2, nasty)],
    )

    root = parse(svg)
    assert "<script" not in svg
    assert list(root.iter(f"{SVG}script")) == []
    assert "<script>alert" in "".join(root.itertext())
    bars = render_weekly_bars([Bar(MONDAY, 50, nasty)], title=nasty, y_label=nasty)
    assert "<script" not in bars
    assert nasty in "".join(parse(bars).itertext())


def test_it_shortens_a_long_series_name_in_the_legend_but_not_in_the_description() -> None:
    name = "Walk the dog for thirty minutes around the park and back home again"

    root = parse(timeline(Series(name, days(3, 4))))

    assert name not in texts(root)
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None and name in desc.text


def test_it_keeps_django_out_so_a_pdf_renderer_can_reuse_it() -> None:
    package = Path(__file__).resolve().parent.parent / "charts"
    offenders = [
        path.name
        for path in package.glob("*.py")
        if re.search(
            # the pure core is allowed: tests/test_project.py keeps Django out of it
            r"^\s*(import|from)\s+(django|backcare\.(?!outcomes\.charts|core\.))",
            path.read_text(),
            re.MULTILINE,
        )
    ]

    assert sorted(p.name for p in package.glob("*.py")) != []
    assert offenders == []


def test_it_refuses_a_range_that_does_not_rise() -> None:
    with pytest.raises(ValueError, match="y_range"):
        timeline(WAKING, y_range=(10, 10))


def test_it_scales_to_its_container() -> None:
    root = parse(timeline(WAKING))

    width, height = root.get("viewBox", "").split()[2:]
    assert (root.get("width"), root.get("height")) == (width, height)


# weekly bars


def test_it_draws_one_bar_per_week_with_its_text() -> None:
    bars = [Bar(MONDAY + timedelta(weeks=w), p, f"{w}/7") for w, p in enumerate((50, 100, 20))]

    root = parse(render_weekly_bars(bars, title="Sessions", y_label="%"))

    assert len(with_class(root, "bar")) == 3
    assert {"0/7", "1/7", "2/7"} <= set(texts(root))


def bar_heights(svg: str) -> list[float]:
    root = parse(svg)
    return [
        float(r.get("height", 0)) for g in with_class(root, "bar") for r in g.iter(f"{SVG}rect")
    ]


def test_it_caps_a_bar_over_100_percent_at_the_top() -> None:
    heights = bar_heights(
        render_weekly_bars(
            [Bar(MONDAY, 100, "7/7"), Bar(MONDAY, 150, "9/6")], title="S", y_label="%"
        )
    )

    assert heights[0] == heights[1] > 0


def test_it_draws_no_bar_for_a_week_with_nothing_prescribed() -> None:
    svg = render_weekly_bars([Bar(MONDAY, None, "0/0")], title="S", y_label="%")

    assert bar_heights(svg) == []
    desc = parse(svg).find(f"{SVG}desc")
    assert desc is not None and "nothing prescribed" in (desc.text or "")


def test_it_draws_the_adherence_gate_as_a_labelled_line() -> None:
    gate = Reference(43, "progression needs 6 sessions in 14 days")

    root = parse(
        render_weekly_bars([Bar(MONDAY, 80, "4/5")], title="S", y_label="%", references=[gate])
    )

    assert len(with_class(root, "reference")) == 1
    assert gate.label in texts(root)


# colours: WCAG 2.1 1.4.11 asks 3:1 for graphics needed to understand the chart


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("colour", [*SERIES_COLOURS, *MARK_COLOURS.values()])
@pytest.mark.parametrize("behind", [BACKGROUND, BAND])
def test_it_draws_meaningful_colours_at_3_to_1_contrast(colour: str, behind: str) -> None:
    assert contrast(colour, behind) >= 3
