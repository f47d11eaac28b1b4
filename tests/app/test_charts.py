"""My evidence's charts (evidence.app.charts): what each Vega-Lite spec draws, from which columns."""

from __future__ import annotations

from evidence.app import charts, tables
from evidence.frameworks.catalogue import get_framework
from tests.factories import FRAMEWORK, FakeAnalyzer, make_analysis


def _analysis():  # noqa: ANN202 - a DocumentAnalysis
    framework = get_framework(FRAMEWORK)
    return framework, FakeAnalyzer(framework).analyse_document(make_analysis("m", [("I led.", [])]).document)


def test_the_level_chart_draws_bars_and_target_ticks() -> None:
    framework, analysis = _analysis()
    frame = tables.level_frame(analysis, framework)
    spec = charts.level_chart(frame, framework).to_dict()
    bars, ticks = spec["layer"]
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["x"]["field"] == "bar"
    assert bars["encoding"]["color"]["scale"]["domain"] == list(charts.STATUS_COLOURS)
    assert ticks["mark"]["type"] == "tick" and ticks["encoding"]["x"]["field"] == "target_rank"
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, len(framework.levels)]
    assert spec["height"] == max(charts.MIN_HEIGHT, charts.BAR_ROW * len(framework.competencies))
    data = next(iter(spec["datasets"].values()))
    assert len(data) == len(framework.competencies)


def test_the_axis_names_levels_by_rank() -> None:
    expr = charts.rank_label_expr(["1", "2"])
    assert expr == """datum.value == 0 ? 'none' : (["1", "2"])[datum.value - 1]"""


def test_the_heat_map_colours_cells_by_score() -> None:
    framework, analysis = _analysis()
    frame = tables.heatmap_frame(analysis, framework)
    spec = charts.heatmap_chart(frame).to_dict()
    assert spec["mark"]["type"] == "rect"
    assert (spec["encoding"]["x"]["field"], spec["encoding"]["y"]["field"]) == ("level", "competency")
    assert spec["encoding"]["color"]["field"] == "score" and spec["encoding"]["color"]["scale"]["domain"] == [0, 1]
    data = next(iter(spec["datasets"].values()))
    assert len(data) == len(frame) and max(row["score"] for row in data) == 0.6
