"""Where the chart builders put their own labels: inside the canvas and apart from one another, at a desktop's
width and a phone's, on screen and in the press exports. The browser suite (tests/test_browser_canvas.py)
checks the drawn result on every page; these pin the layout decisions on small frames, without a browser."""

from __future__ import annotations

import pandas as pd
import pytest

from figures import charts as C
from figures import export as E
from figures import style as S
from figures.chart_parts import _text_px

SOURCE = "Bộ Nội vụ"
BREAKS = [{"year": 2016, "label": "Series break 2016"}, {"year": 2022, "label": "Series break 2022"}]


def _ann(fig, prefix: str) -> list:
    return [a for a in fig.layout.annotations if (a.name or "").startswith(prefix)]


def _strip_df(values: dict[str, float]) -> pd.DataFrame:
    ranked = sorted(values, key=values.get, reverse=True)
    return pd.DataFrame([dict(unit_id=n, name=n, value=v, rank=ranked.index(n) + 1, of=63)
                         for n, v in values.items()])


def _trend_df() -> pd.DataFrame:
    return pd.DataFrame([dict(unit_id=u, name=n, year=y, value=b + (y - 2012) * 0.7, rank=5, of=63)
                         for u, n, b in (("a", "Bình Dương", 80), ("b", "Đồng Nai", 78)) for y in range(2012, 2025)])


def _px(fig, axis: str, x: float, plot_w: float) -> float:
    lo, hi = fig.layout[axis].range
    return (x - lo) / (hi - lo) * plot_w


def test_legend_rows_follow_plotly_columns():
    """plotly puts every entry in a column as wide as the widest once one row is not enough."""
    labels = ["A", "B", "C", "D", "E", "Không có số liệu"]
    assert S._legend_rows(labels, 1000, 12) == 1
    widest = len(labels[-1]) * 12 * 0.62 + 40
    assert S._legend_rows(labels, widest * 2 + 20, 12) == 3  # two columns: three rows, not two
    assert S._legend_rows(labels, widest + 20, 12) == 6  # one column


def test_strip_average_label_is_on_the_side_with_room():
    """Values far from zero (88–96 %): a line near the low end is labelled on its right, inside the axis."""
    df = _strip_df({"Hòa Bình": 88.18, "Bình Dương": 89.13, "Quảng Ninh": 91.5, "Hải Phòng": 96.17})
    for width in (None, 390):
        fig = C.benchmark_strip(df, lang="vi", title="PAR INDEX 2024", source=SOURCE, unit="%", width=width,
                                home_id="Bình Dương", comparators=[{"kind": "national", "value": 88.37}])
        (label,) = _ann(fig, "cmp-label-")
        assert label.xanchor == "left"


def test_strip_end_labels_stack_when_they_cannot_share_a_line():
    df = _strip_df({"Quảng Ngãi": 73.25, "Bình Dương": 86.93, "Quảng Ninh": 91.04})
    kw = dict(lang="vi", title="PAR INDEX 2020", source=SOURCE, unit="%", home_id="Bình Dương")
    wide, phone = C.benchmark_strip(df, **kw), C.benchmark_strip(df, width=390, **kw)
    assert len({a.ay for a in _ann(wide, "end-")}) == 1  # 900 px: one line
    top, low = sorted(a.ay for a in _ann(phone, "end-"))
    assert low - top >= S.sizes()["small"] * 1.3  # a phone: a line each
    # the plot reaches far enough under the strip (at y 0; one y unit = one dot) for the second line
    dot = S.sizes()["marker"] * 1.05
    assert -phone.layout.yaxis.range[0] * dot >= low + S.sizes()["small"] * 1.2


@pytest.mark.parametrize("width", [None, 390])
def test_break_labels_stay_inside_the_plot_and_apart(width):
    fig = C.trend_lines(_trend_df(), lang="en", title="PAR INDEX", source=SOURCE, breaks=BREAKS, unit="%",
                        width=width)
    m = fig.layout.margin
    plot_w = min(S.screen_width(width), S.DESKTOP_MIN_WIDTH) - m.l - m.r
    font = S.sizes()["small"] * 0.92
    boxes = []
    for a in _ann(fig, "break-label-"):
        x = _px(fig, "xaxis", a.x, plot_w) + a.xshift
        w = _text_px(a.text, font)
        left = x if a.xanchor == "left" else x - w
        assert left >= 0 and left + w <= plot_w, (a.text, left, w, plot_w)
        boxes.append((a.yshift, left, left + w))
    for i, (y1, l1, r1) in enumerate(boxes):
        for y2, l2, r2 in boxes[i + 1:]:
            assert y1 != y2 or r1 < l2 or r2 < l1, "two labels in one row meet"
    rows = len({b[0] for b in boxes})
    assert (rows == 2) == (width == 390)  # they share a row on a desktop, not on a phone
    # the rows are reserved above the plot, under the legend
    assert m.t >= fig.layout.meta["chiso"]["top_extra"] >= rows * S.sizes()["small"] * 1.5 - 1


def test_panels_on_a_phone_one_per_row_with_year_ticks_that_fit():
    fig = C.small_multiples(_trend_df(), lang="vi", title="PAR INDEX", source=SOURCE, breaks=BREAKS, unit="%",
                            width=390)
    assert fig.layout.xaxis.domain == fig.layout.xaxis2.domain  # one column
    ticks = fig.layout.xaxis2.tickvals
    assert len(ticks) < 13 and ticks[-1] == 2024
    assert len({a.yshift for a in _ann(fig, "break-label-")}) == 2


def test_axis_title_longer_than_its_panel_is_wrapped():
    many = pd.DataFrame([dict(unit_id=f"u{i}", name=f"Thị xã số {i}", year=y, value=70 + i + y - 2017,
                              rank=i + 1, of=9) for i in range(9) for y in (2017, 2023)])
    fig = C.trend_lines(many, lang="vi", title="CCHC cấp huyện", source=SOURCE, measure="both", width=390)
    m = fig.layout.margin
    panel = (fig.layout.height - m.t - m.b) * (fig.layout.yaxis2.domain[1] - fig.layout.yaxis2.domain[0])
    for line in fig.layout.yaxis2.title.text.split("<br>"):
        assert _text_px(line, S.sizes()["small"]) <= panel
    # the plot keeps its height however many legend rows a phone needs
    assert fig.layout.height - m.t - m.b >= 440


def test_export_lays_break_labels_out_for_its_own_width():
    """A chart laid out for a phone (two rows of break labels) exported wide: one row again, the room for
    the second freed; the square export of a desktop chart reserves what it needs."""
    phone = C.trend_lines(_trend_df(), lang="en", title="PAR INDEX", source=SOURCE, breaks=BREAKS, unit="%",
                          width=390)
    wide = E.prepare(phone, "wide")
    assert len({a.yshift for a in _ann(wide, "break-label-")}) == 1
    desktop = C.trend_lines(_trend_df(), lang="en", title="PAR INDEX", source=SOURCE, breaks=BREAKS, unit="%")
    for fig in (wide, E.prepare(desktop, "square")):
        m = fig.layout.margin
        rows = len({a.yshift for a in _ann(fig, "break-label-")})
        plot_w = fig.layout.width - m.l - m.r
        for a in _ann(fig, "break-label-"):
            x = _px(fig, "xaxis", a.x, plot_w)
            w = _text_px(a.text, a.font.size)
            assert (x + w <= plot_w) if a.xanchor == "left" else (x - w >= 0)
        legend_bottom = (1 - fig.layout.legend.y) * fig.layout.height + S.sizes(fig.layout.meta["chiso"]["preset"])["small"] * 1.75
        assert m.t - legend_bottom >= rows * a.font.size * 1.3


def test_strip_export_stacks_end_labels_that_cannot_share_a_line():
    df = _strip_df({"Ủy ban nhân dân Thành phố Hồ Chí Minh (cũ)": 73.25, "Bình Dương": 86.93,
                    "Ủy ban nhân dân tỉnh Bà Rịa – Vũng Tàu (cũ)": 91.04})
    fig = C.benchmark_strip(df, lang="vi", title="PAR INDEX 2020", source=SOURCE, unit="%", home_id="Bình Dương")
    assert len({a.ay for a in _ann(E.prepare(fig, "wide"), "end-")}) == 1
    top, low = sorted(a.ay for a in _ann(E.prepare(fig, "square"), "end-"))
    assert low - top >= S.sizes("square")["small"] * 1.3


def _component_df() -> pd.DataFrame:
    rows = [("dti.gov", "Chính quyền số", 55.48, 9), ("dti.econ", "Kinh tế số", 8.82, 4),
            ("dti.soc", "Xã hội số", 20.27, 2)]
    return pd.DataFrame([dict(component_id=c, name=n, value=v, national_mean=None, leader_value=v + 5, rank=r, of=10,
                              rank_label=f"{r} of the 10 with published scores",
                              rank_label_chart=f"{r} of the 10 with scores") for c, n, v, r in rows])


def test_component_bars_put_a_long_rank_under_the_value_on_a_phone_and_keep_the_full_wording_in_the_hover():
    phone = C.component_bars(_component_df(), lang="en", title="DTI components", source=SOURCE, width=390)
    desk = C.component_bars(_component_df(), lang="en", title="DTI components", source=SOURCE)
    text = next(tr for tr in phone.data if getattr(tr, "mode", None) == "text").text
    assert text[0] == "  55.48<br>  9 of the 10 with scores"
    assert next(tr for tr in desk.data if getattr(tr, "mode", None) == "text").text[0] == "  55.48 · 9 of the 10 with scores"
    assert "9 of the 10 with published scores" in phone.data[0].customdata[0]     # the hover says it in full


def test_a_comparator_line_stops_at_a_series_break_in_every_panel():
    nat = {"kind": "national", "label": "National average", "values": {2014: 84.6, 2015: 85.11, 2016: 74.64,
                                                                     2017: 77.0}}
    fig = C.small_multiples(_trend_df(), lang="en", title="PAR INDEX", source=SOURCE, comparators=[nat],
                            breaks=BREAKS)
    lines = [tr for tr in fig.data if tr.name == "National average" and tr.mode == "lines"]
    assert lines
    for tr in lines:
        xs, ys = list(tr.x), list(tr.y)
        gap = xs.index(2015.5)                   # an explicit gap before the break year, never a joined line
        assert ys[gap] is None and xs[gap - 1] == 2015 and xs[gap + 1] == 2016
