"""Chart builders: honest shapes (no fake zeros, gaps, breaks), labels, frame and alt text."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from figures import charts as C
from figures import export as E
from figures import style as S

TITLE = "Chỉ số Cải cách hành chính (PAR INDEX) 2020"
SOURCE = "Bộ Nội vụ, Báo cáo PAR INDEX 2020"


def ranking_df() -> pd.DataFrame:
    """A ranking-shaped frame: 6 provinces with values, 2 without."""
    rows = [
        ("old-p-01", "Hà Nội", 85.10, 12, "Khá", -3),
        ("old-p-74", "Bình Dương", 88.75, 4, "Tốt", 13),
        ("old-p-22", "Quảng Ninh", 91.02, 1, "Tốt", 0),
        ("old-p-48", "Đà Nẵng", 87.90, 6, "Tốt", 2),
        ("old-p-79", "TP. Hồ Chí Minh", 84.00, 20, "Khá", None),
        ("old-p-02", "Hà Giang", -1.5, 63, "Trung bình", -5),  # a negative value stays a real bar
        ("old-p-10", "Lào Cai", None, None, None, None),
        ("old-p-04", "Cao Bằng", float("nan"), None, None, None),
    ]
    df = pd.DataFrame(rows, columns=["unit_id", "name", "value", "display_rank", "band", "rank_change"])
    df["display_of"] = 63
    df["rank"], df["of"] = df["display_rank"], 63
    df["official_rank"], df["official_of"] = df["display_rank"], 63
    df["rank_source"] = ["published"] * 5 + ["computed"] + [None, None]
    df["value_change"] = 0.5
    df["comparable"] = True
    return df


def trend_df() -> pd.DataFrame:
    rows = []
    for uid, name, base in [("old-p-74", "Bình Dương", 80.0), ("old-p-75", "Đồng Nai", 78.0)]:
        for year in range(2017, 2024):
            if name == "Đồng Nai" and year == 2019:
                continue  # a missing year: must be a gap
            rows.append(dict(unit_id=uid, name=name, year=year, value=base + year - 2017,
                             rank=10 + (year % 3), of=63, rank_source="published", value_change=None,
                             rank_change=None, comparable=year != 2021))
    return pd.DataFrame(rows)


def components_df() -> pd.DataFrame:
    return pd.DataFrame({
        "component_id": ["par_index.a", "par_index.b", "par_index.c"],
        "name": ["Công tác chỉ đạo, điều hành", "Cải cách thủ tục hành chính", "Chính quyền số"],
        "value": [9.5, None, 11.2], "national_mean": [8.9, 12.0, 9.8], "leader_value": [9.9, 13.5, 12.4],
        "gap_to_leader": [0.4, None, 1.2], "rank": [5, None, 3], "of": [63, 63, 63],
    })


def frame_texts(fig: go.Figure) -> dict[str, str]:
    return {a.name: a.text for a in fig.layout.annotations if a.name in S.FRAME_NAMES}


def bar_traces(fig):
    return [tr for tr in fig.data if isinstance(tr, go.Bar) and tr.x and any(v is not None for v in tr.x)]


# ----------------------------------------------------------------------------------------- ranking
def test_ranking_bar_order_labels_and_no_fake_zero():
    fig = C.ranking_bar(ranking_df(), lang="vi", title=TITLE, subtitle="63 tỉnh, thành phố", source=SOURCE,
                        home_id="old-p-74", highlight=["old-p-48"], unit="points")
    assert isinstance(fig, go.Figure)
    order = list(fig.layout.yaxis.categoryarray)
    # sorted by value, best first; no-data rows last in Vietnamese order (Cao Bằng before Lào Cai)
    assert order == ["old-p-22", "old-p-74", "old-p-48", "old-p-01", "old-p-79", "old-p-02", "old-p-04", "old-p-10"]
    assert fig.layout.yaxis.autorange == "reversed"
    # no bar for a missing value — not even a zero-length one
    bar_ids = [y for tr in bar_traces(fig) for y in tr.y]
    assert "old-p-10" not in bar_ids and "old-p-04" not in bar_ids
    bar_values = [x for tr in bar_traces(fig) for x in tr.x]
    assert all(v is not None and not (isinstance(v, float) and math.isnan(v)) for v in bar_values)
    assert -1.5 in bar_values  # a real negative number is drawn
    # the no-data rows carry an explicit labelled marker
    nodata = [tr for tr in fig.data if isinstance(tr, go.Scatter) and tr.name == "Không có số liệu"]
    assert len(nodata) == 1
    assert set(nodata[0].y) == {"old-p-10", "old-p-04"}
    assert set(nodata[0].text) == {"Không có số liệu"}
    assert nodata[0].marker.symbol == "circle-open"
    # value · rank labels in Vietnamese number format; computed ranks flagged
    labels = {y: txt for tr in bar_traces(fig) for y, txt in zip(tr.y, tr.text, strict=True)}
    assert labels["old-p-74"] == "88,75 · 4/63"
    assert labels["old-p-02"] == "-1,50 · 63/63*"
    # home and selected: different colour *and* bold tick label
    ticks = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True))
    assert ticks["old-p-74"] == "<b>Bình Dương</b>" and ticks["old-p-48"] == "<b>Đà Nẵng</b>"
    assert ticks["old-p-01"] == "Hà Nội"
    colours = {y: c for tr in bar_traces(fig) for y, c in zip(tr.y, tr.marker.color, strict=True)}
    assert colours["old-p-74"] == S.HOME and colours["old-p-48"] == S.SELECTED and colours["old-p-01"] == S.BASE


def test_the_frame_keywords_are_the_same_for_every_builder_and_checked():
    """Every builder takes the frame keywords (figures.chart_parts.FrameOptions) and draws the same frame
    from them; a misspelt keyword is an error, not silently ignored."""
    frame = dict(subtitle="Phụ đề", source=SOURCE, preset="wide", date="2024-05-01", notes="Ghi chú")
    for build in (C.ranking_bar, C.benchmark_strip):
        fig = build(ranking_df(), lang="vi", title=TITLE, **frame)
        texts = " ".join(a.text for a in fig.layout.annotations if a.text)
        assert "Phụ đề" in texts and SOURCE in texts and "Ghi chú" in texts
        assert fig.layout.width == S.sizes("wide")["width"]
        with pytest.raises(TypeError, match="subtitel"):
            build(ranking_df(), lang="vi", title=TITLE, subtitel="x")


def test_ranking_bar_bands_are_patterns_with_legend():
    fig = C.ranking_bar(ranking_df(), lang="en", title="PAR INDEX 2020", source="MoHA", home_id="old-p-74")
    legend = [tr for tr in fig.data if tr.showlegend and isinstance(tr, go.Bar)]
    assert [tr.name for tr in legend] == ["Tốt", "Khá", "Trung bình"]  # in value order, best first
    shapes = [tr.marker.pattern.shape for tr in legend]
    assert len(set(shapes)) == 3  # distinguishable without colour
    assert all(tr.marker.color == S.BASE for tr in legend)  # swatches never take the highlight colour
    labels = {y: txt for tr in bar_traces(fig) for y, txt in zip(tr.y, tr.text, strict=True)}
    assert labels["old-p-74"] == "88.75 · 4/63"  # English decimal point
    assert any(tr.name == "No data" for tr in fig.data)


def test_ranking_bar_frame_alt_and_comparators():
    fig = C.ranking_bar(ranking_df(), lang="vi", title=TITLE, subtitle="Điểm số", source=SOURCE,
                        home_id="old-p-74", comparators=[{"kind": "national", "value": 84.1}],
                        show_change=True, date="2025-11-25")
    frame = frame_texts(fig)
    assert frame["chiso-title"] == f"<b>{TITLE}</b>"
    assert frame["chiso-subtitle"] == "Điểm số"
    assert frame["chiso-source"] == f"Nguồn: {SOURCE}"
    assert frame["chiso-footer"] == "<b>Chỉ số · 25/11/2025</b>"
    alt = fig.layout.meta["alt"]
    assert "Quảng Ninh" in alt and "Bình Dương: 88,75, hạng 4/63" in alt
    assert "2 địa phương không có số liệu" in alt and "Lào Cai" in alt
    cmp_labels = [a.text for a in fig.layout.annotations if (a.name or "").startswith("cmp-label")]
    assert cmp_labels == ["Trung bình cả nước: 84,10"]
    lines = [sh for sh in fig.layout.shapes if (sh.name or "").startswith("cmp-")]
    assert lines[0].x0 == lines[0].x1 == 84.1
    labels = {y: txt for tr in bar_traces(fig) for y, txt in zip(tr.y, tr.text, strict=True)}
    assert labels["old-p-74"] == "88,75 · 4/63 · ▲ 13"
    # the axis leaves room for the labels to the right of the longest bar
    assert fig.layout.xaxis.range[1] > 91.02


# ------------------------------------------------------------------------------------------ trends
def _series_traces(fig, name):
    return [tr for tr in fig.data if tr.legendgroup == name]


def test_trend_lines_gaps_breaks_and_segments():
    breaks = [{"year": 2021, "label": "Đổi phương pháp"}]
    fig = C.trend_lines(trend_df(), lang="vi", title="PAR INDEX 2017–2023", source=SOURCE, breaks=breaks,
                        home_id="old-p-74", unit="%",
                        comparators=[{"kind": "national", "values": {y: 79 + y - 2017 for y in range(2017, 2024)}}])
    dn = _series_traces(fig, "old-p-75")
    # non-comparable 2021 starts a new segment: two traces, never joined across the break
    assert len(dn) == 2
    first, second = dn
    assert list(first.x) == [2017, 2018, 2019, 2020]
    assert first.y[2] is None  # 2019 missing → gap, not interpolated
    assert first.connectgaps is False
    assert list(second.x)[0] == 2021
    assert [tr.showlegend for tr in dn] == [True, False]
    # break: dashed line between 2020 and 2021 and its label
    brk = [sh for sh in fig.layout.shapes if (sh.name or "").startswith("break-")]
    assert len(brk) == 1 and brk[0].x0 == 2020.5 and brk[0].line.dash == "dash"
    assert any(a.text == "Đổi phương pháp" for a in fig.layout.annotations)
    # the national line has an explicit gap at the break as well
    nat = [tr for tr in fig.data if tr.name == "Trung bình cả nước"][0]
    assert 2020.5 in list(nat.x) and nat.y[list(nat.x).index(2020.5)] is None
    # direct labels at the line ends, coloured like the lines
    labels = {a.text: a for a in fig.layout.annotations if (a.name or "").startswith("label-")}
    assert set(labels) == {"<b>Bình Dương</b>", "<b>Đồng Nai</b>"}
    assert labels["<b>Bình Dương</b>"].font.color == S.HOME
    assert "Gãy chuỗi: 2021" in fig.layout.meta["alt"]
    assert "Bình Dương: 80,00% (2017) đến 86,00% (2023)" in fig.layout.meta["alt"]


def test_trend_rank_axis_reversed_and_both_panels():
    fig = C.trend_lines(trend_df(), lang="en", title="Rank", measure="rank", source="MoHA")
    assert fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1]  # 1 at the top
    assert fig.layout.yaxis.range[1] == 0.5
    both = C.trend_lines(trend_df(), lang="en", title="Both", measure="both", source="MoHA",
                         breaks=[{"year": 2021, "label": "New method"}])
    assert both.layout.yaxis2.range[0] > both.layout.yaxis2.range[1]
    assert {tr.yaxis for tr in both.data} == {"y", "y2"}
    assert len([sh for sh in both.layout.shapes if (sh.name or "").startswith("break-")]) == 2
    with pytest.raises(ValueError):
        C.trend_lines(trend_df(), lang="en", title="x", measure="area")


def test_trend_single_series_without_unit_id():
    df = trend_df()
    one = df[df["unit_id"] == "old-p-74"].drop(columns=["unit_id", "name"])
    fig = C.trend_lines(one, lang="vi", title="Bình Dương", source=SOURCE)
    ys = [y for tr in fig.data for y in tr.y if y is not None]
    assert len(ys) == 7
    assert fig.data[0].line.color == S.HOME


def test_direct_labels_do_not_overlap():
    df = trend_df()
    df2 = df.copy()
    df2["unit_id"] = df2["unit_id"] + "-b"
    df2["name"] = df2["name"] + " B"
    df2["value"] = df2["value"] + 0.05  # almost identical lines
    fig = C.trend_lines(pd.concat([df, df2]), lang="vi", title="x", source="y")
    m = fig.layout.margin
    h = fig.layout.height - m.t - m.b
    ys = [tr.y for tr in fig.data]
    lo = min(v for y in ys for v in y if v is not None)
    hi = max(v for y in ys for v in y if v is not None)
    pad = (hi - lo) * 0.06
    pos = sorted((a.y - lo + pad) / (hi - lo + 2 * pad) * h + a.yshift
                 for a in fig.layout.annotations if (a.name or "").startswith("label-"))
    assert len(pos) == 4
    assert all(b - a >= S.sizes("screen")["small"] * 1.2 for a, b in zip(pos, pos[1:], strict=False))


def test_small_multiples_one_panel_per_locality():
    fig = C.small_multiples(trend_df(), lang="vi", title="PAR INDEX", source=SOURCE, home_id="old-p-74",
                            breaks=[{"year": 2021, "label": "Đổi phương pháp"}],
                            comparators=[{"kind": "national", "value": 82}])
    titles = [a.text for a in fig.layout.annotations if a.name is None]
    assert titles == ["<b>Bình Dương</b>", "<b>Đồng Nai</b>"]
    own = [tr for tr in fig.data if tr.name in ("Bình Dương", "Đồng Nai")]
    assert {tr.xaxis for tr in own if tr.name == "Bình Dương"} == {"x"}
    assert {tr.xaxis for tr in own if tr.name == "Đồng Nai"} == {"x2"}
    assert all(not fig.layout[f"yaxis{s}"].matches for s in ("", "2"))
    assert list(fig.layout.yaxis.range) == list(fig.layout.yaxis2.range)  # shared scale
    assert fig.layout.yaxis2.showticklabels is False
    assert "Bình Dương, Đồng Nai" in fig.layout.meta["alt"]


# ------------------------------------------------------------------------------------ components
def test_component_bars_mean_leader_and_no_data():
    fig = C.component_bars(components_df(), lang="vi", title="Thành phần PAR INDEX 2020", source=SOURCE,
                           locality_name="Bình Dương", leader_name="Quảng Ninh")
    bar = [tr for tr in fig.data if isinstance(tr, go.Bar)][0]
    assert list(bar.y) == ["par_index.a", "par_index.c"]  # the missing component has no bar
    names = [tr.name for tr in fig.data if tr.name]
    assert "Trung bình cả nước" in names and "Dẫn đầu: Quảng Ninh" in names and "Không có số liệu" in names
    mean = [tr for tr in fig.data if tr.name == "Trung bình cả nước"][0]
    assert list(mean.x) == [8.9, 12.0, 9.8]
    text = [tr for tr in fig.data if getattr(tr, "mode", None) == "text"][0]
    assert [x.strip() for x in text.text] == ["9,50 · 5/63", "Không có số liệu", "11,20 · 3/63"]
    assert list(text.x) == [9.9, 13.5, 12.4]  # right of the furthest marker of each row
    assert "Bình Dương" in fig.layout.meta["alt"] and "Cải cách thủ tục hành chính" in fig.layout.meta["alt"]


# ------------------------------------------------------------------------------------ benchmarks
def test_beeswarm_and_strip():
    df = ranking_df()
    fig = C.beeswarm(df, lang="vi", title="Bình Dương giữa 63 tỉnh", source=SOURCE, home_id="old-p-74",
                     comparators=[{"kind": "national", "value": 84.1}])
    hl = [a for a in fig.layout.annotations if (a.name or "").startswith("hl-")]
    assert hl[0].text == "<b>Bình Dương · 88,75 · 4/63</b>"
    assert any("2 địa phương không có số liệu" in (a.text or "") for a in fig.layout.annotations)
    others = fig.data[0]
    assert len(others.x) == 5 and None not in others.x  # missing values are not dots
    strip = C.benchmark_strip(df, lang="en", title="Strip", source="MoHA", home_id="old-p-74")
    assert set(strip.data[0].y) == {0.0}
    assert strip.data[0].marker.symbol == "line-ns-open"
    assert "rank 4/63" in strip.layout.meta["alt"]


def test_swarm_dots_never_overlap():
    xs = sorted([float(x % 17) * 3 for x in range(120)])
    offs = C._swarm_offsets(xs, 8.0)
    pts = [(x, o * 8.0) for x, o in zip(xs, offs, strict=True)]
    for i, (x1, y1) in enumerate(pts):
        for x2, y2 in pts[i + 1:]:
            assert (x1 - x2) ** 2 + (y1 - y2) ** 2 >= 8.0 ** 2 * 0.99


# ------------------------------------------------------------------------------ export re-layout
def test_prepare_for_presets_without_rendering():
    fig = C.ranking_bar(ranking_df(), lang="vi", title=TITLE, source=SOURCE, home_id="old-p-74")
    before = fig.to_json()
    wide = E.prepare(fig, "wide")
    square = E.prepare(fig, "square")
    assert fig.to_json() == before  # the builder's figure is untouched
    assert (wide.layout.width, wide.layout.height) == (1920, 1080)
    assert (square.layout.width, square.layout.height) == (1080, 1080)
    t_w = [a for a in wide.layout.annotations if a.name == "chiso-title"][0]
    t_s = [a for a in square.layout.annotations if a.name == "chiso-title"][0]
    t_0 = [a for a in fig.layout.annotations if a.name == "chiso-title"][0]
    assert t_0.font.size < t_w.font.size < t_s.font.size
    assert {a.name for a in square.layout.annotations} >= set(S.FRAME_NAMES) - {"chiso-subtitle"}
    assert wide.layout.meta["alt"] == fig.layout.meta["alt"]
    # 8 rows leave room: tick labels grow with the preset (they only shrink when rows are dense)
    assert wide.layout.yaxis.tickfont.size > fig.layout.yaxis.tickfont.size
    with pytest.raises(KeyError):
        E.prepare(fig, "poster")


def test_pure_layers_need_no_streamlit():
    """analytics/, geo/ and figures/ import without Streamlit (checked in a fresh interpreter)."""
    import subprocess
    import sys

    code = ("import sys, analytics.ranking, analytics.trends, analytics.findings, analytics.crosswalk, "
            "analytics.imports, figures.charts, figures.export, figures.tables, figures.maps, geo.layers; "
            "sys.exit(1 if 'streamlit' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_beeswarm_repacked_for_export_without_overlap():
    vals = [80 + (i * 37 % 50) / 10 for i in range(60)]
    df = pd.DataFrame({"unit_id": [f"u{i}" for i in range(60)], "name": [f"Tỉnh {i}" for i in range(60)],
                       "value": vals})
    fig = C.beeswarm(df, lang="vi", title="x", source="y", home_id="u3")
    for preset in ("wide", "square"):
        out = E.prepare(fig, preset)
        x0, x1 = out.layout.xaxis.range
        plot_w = S.plot_width(out, preset)
        dot = fig.layout.meta["chiso"]["dot_px"] * S.sizes(preset)["body"] / S.sizes("screen")["body"]
        pts = [((x - x0) / (x1 - x0) * plot_w, y * dot) for tr in out.data for x, y in zip(tr.x, tr.y, strict=True)]
        assert len(pts) == 60
        for i, (ax, ay) in enumerate(pts):
            for bx, by in pts[i + 1:]:
                assert (ax - bx) ** 2 + (ay - by) ** 2 >= dot ** 2 * 0.98
        hl = [a for a in out.layout.annotations if (a.name or "").startswith("hl-")][0]
        assert hl.y == out.data[1].y[0]  # the label follows the home dot


# ------------------------------------------------------------------------------ press and phone quality
def test_series_break_label_sits_in_its_own_row_between_legend_and_plot():
    breaks = [{"year": 2021, "label": "Gãy chuỗi 2021"}]
    comps = [{"kind": "national", "values": {y: 79 + y - 2017 for y in range(2017, 2024)}}]
    plain = C.trend_lines(trend_df(), lang="vi", title=TITLE, source=SOURCE, comparators=comps, unit="%")
    fig = C.trend_lines(trend_df(), lang="vi", title=TITLE, source=SOURCE, comparators=comps, unit="%", breaks=breaks)
    lab = [a for a in fig.layout.annotations if (a.name or "").startswith("break-label-")][0]
    # anchored on the plot's top edge and growing upwards, into a row kept free for it
    assert lab.y == 1 and lab.yanchor == "bottom" and lab.yref == "y domain"
    assert fig.layout.margin.t - plain.layout.margin.t >= lab.font.size * 1.2
    # the legend counted every entry it shows (the national line included)
    assert "Trung bình cả nước" in fig.layout.meta["chiso"]["legend_labels"]


def test_percentage_bars_axis_stops_at_100_and_says_percent():
    df = ranking_df()
    df["value"] = [85.1, 88.75, 91.02, 87.9, 84.0, 70.0, None, None]
    fig = C.ranking_bar(df, lang="vi", title=TITLE, source=SOURCE, unit="%", decimals=2)
    assert max(fig.layout.xaxis.tickvals) == 100 and fig.layout.xaxis.ticksuffix == "%"
    assert fig.layout.xaxis.range[1] > 100  # the room for the value labels is still there
    points = C.ranking_bar(df, lang="vi", title=TITLE, source=SOURCE, unit="điểm", decimals=2)
    assert points.layout.xaxis.tickvals is None


def test_phone_width_wraps_the_frame_keeps_the_footer_apart_and_thins_year_ticks():
    long_title = "Chỉ số Cải cách hành chính (PAR INDEX) 2017–2023: Bình Dương, Đồng Nai và trung bình cả nước"
    wide = C.trend_lines(trend_df(), lang="vi", title=long_title, source=SOURCE * 2, home_id="old-p-74")
    phone = C.trend_lines(trend_df(), lang="vi", title=long_title, source=SOURCE * 2, home_id="old-p-74", width=390)
    ann = {a.name: a for a in phone.layout.annotations}
    chars = max(len(x) for x in ann["chiso-title"].text.replace("<b>", "").replace("</b>", "").split("<br>"))
    assert chars * S.sizes()["title"] * 0.55 <= 390 - 2 * S.sizes()["side"] + 1
    assert ann["chiso-title"].text.count("<br>") > {a.name: a for a in wide.layout.annotations}["chiso-title"].text.count("<br>")
    # the source ends one line above the footer (the date stamp), never on the same line
    assert ann["chiso-source"].yshift - ann["chiso-footer"].yshift >= S.sizes()["source"]
    # the title starts below the modebar
    assert phone.layout.margin.t > wide.layout.margin.t
    long = pd.DataFrame([dict(unit_id="old-p-74", name="Bình Dương", year=y, value=70.0 + y - 2008, rank=5, of=63)
                         for y in range(2008, 2025)])
    ticks = C.trend_lines(long, lang="vi", title=TITLE, source=SOURCE, width=390).layout.xaxis.tickvals
    assert len(ticks) < 17 and ticks[-1] == 2024  # 17 years do not fit side by side in 390 px
    assert len(C.trend_lines(long, lang="vi", title=TITLE, source=SOURCE).layout.xaxis.tickvals) == 17
    # bar labels: the room kept right of the longest bar is computed for 390 px, not 900
    bars_phone = C.ranking_bar(ranking_df(), lang="vi", title=TITLE, source=SOURCE, unit="%", width=390)
    bars_wide = C.ranking_bar(ranking_df(), lang="vi", title=TITLE, source=SOURCE, unit="%")
    assert bars_phone.layout.xaxis.range[1] > bars_wide.layout.xaxis.range[1]


def test_strip_names_both_ends_and_its_unit():
    fig = C.benchmark_strip(ranking_df(), lang="vi", title="Bình Dương giữa 63 tỉnh", source=SOURCE,
                            home_id="old-p-74", unit="%")
    ends = [a.text for a in fig.layout.annotations if (a.name or "").startswith("end-")]
    assert any("Quảng Ninh" in x for x in ends) and any("Hà Giang" in x for x in ends)
    assert fig.layout.xaxis.ticksuffix == "%"
    pts = C.benchmark_strip(ranking_df(), lang="vi", title="x", source=SOURCE, home_id="old-p-74", unit="điểm")
    assert pts.layout.xaxis.title.text == "điểm"


def test_phone_trend_names_lines_in_the_legend_not_at_their_ends():
    phone = C.trend_lines(trend_df(), lang="vi", title=TITLE, source=SOURCE, home_id="old-p-74", width=390)
    wide = C.trend_lines(trend_df(), lang="vi", title=TITLE, source=SOURCE, home_id="old-p-74")
    assert not [a for a in phone.layout.annotations if (a.name or "").startswith("label-")]
    assert phone.layout.margin.r < wide.layout.margin.r
    assert {"Bình Dương", "Đồng Nai"} <= {tr.name for tr in phone.data if tr.showlegend}


def test_strip_export_fills_its_frame():
    fig = C.benchmark_strip(ranking_df(), lang="vi", title=TITLE, source=SOURCE, home_id="old-p-74", unit="%")
    for preset in ("wide", "square"):
        out = E.prepare(fig, preset)
        m = out.layout.margin
        plot_h = out.layout.height - m.t - m.b
        assert out.data[0].marker.size >= 0.2 * plot_h  # ticks a fifth of the plot tall, not a thin line
        hl = [a for a in out.layout.annotations if (a.name or "").startswith("hl-")][0]
        ends = [a for a in out.layout.annotations if (a.name or "").startswith("end-")]
        assert -hl.ay > out.data[0].marker.size * 0.7 and all(a.ay > out.data[0].marker.size * 0.7 for a in ends)
