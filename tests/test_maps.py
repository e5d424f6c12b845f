"""figures.maps: classes, no-data legend, islands, approximate note, hover, payload sizes (no browser)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import shapely
from shapely.geometry import shape

from figures import maps
from geo import layers


@pytest.fixture(autouse=True)
def built_layers_only(tmp_path, monkeypatch):
    monkeypatch.setenv("CHISO_BOUNDARIES_DIR", str(tmp_path / "no_user_layers"))
    layers.clear_cache()


def _df(level: str, vintage: str, province_code: str | None = None, missing: int = 3, seed: int = 1) -> pd.DataFrame:
    g = layers.load_layer(level, vintage)
    if province_code:
        g = g[(g.code if level == "province" else g.province_code) == province_code]
    g = g[g.level == level]
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"code": g.code.values, "name": g.name.values, "value": rng.normal(80, 6, len(g)).round(2)})
    df.loc[df.index[:missing], "value"] = np.nan
    ok = df.value.notna()
    df["display_rank"] = df.value.rank(ascending=False, method="min")
    df["display_of"] = int(ok.sum())
    df["rank_change"] = rng.integers(-5, 6, len(df))
    return df


def _legend(fig: go.Figure) -> dict[str, go.BaseTraceType]:
    return {t.name: t for t in fig.data if t.showlegend is not False and t.name and not t.name.startswith("_")}


def _class_traces(fig):
    return [t for t in fig.data if isinstance(t, go.Choropleth) and t.legendgroup and t.legendgroup.startswith("class")]


def test_choropleth_classes_no_data_and_islands():
    df = _df("province", "legacy")
    fig = maps.choropleth(df, "province", "legacy", lang="vi", title="PAR INDEX 2024", source="Bộ Nội vụ",
                          home="74", highlight=["79"], label_extremes=2)
    meta = fig.layout.meta["map"]
    assert len(meta["classes"]) == 5
    colours = {c["colour"].lower() for c in meta["classes"]}
    assert len(colours) == 5
    # no data: its own legend entry, white, not any class colour, and hatched
    legend = _legend(fig)
    assert "Không có số liệu" in legend
    nd = legend["Không có số liệu"]
    assert nd.marker.color.lower() == maps.NO_DATA_FILL.lower() and maps.NO_DATA_FILL.lower() not in colours
    assert meta["no_data"]["count"] == 3
    nd_poly = [t for t in fig.data if isinstance(t, go.Choropleth) and t.legendgroup == "nodata"][0]
    assert len(nd_poly.locations) == 3 and nd_poly.colorscale[0][1].lower() == "#ffffff"
    assert any(t.name == "no data hatch" for t in fig.data)
    # every unit drawn exactly once across class + no-data traces
    drawn = [c for t in _class_traces(fig) + [nd_poly] for c in t.locations]
    assert sorted(drawn) == sorted(df.code)
    # class legend labels hold the ranges with a decimal comma
    labels = [t.name for t in _class_traces(fig)]
    assert all("–" in lab for lab in labels) and any("," in lab for lab in labels)
    # Hoàng Sa / Trường Sa drawn and labelled; first trace is lon/lat (keeps plotly.js offline)
    assert isinstance(fig.data[0], go.Scattergeo) and fig.data[0].locationmode is None
    texts = " ".join(" ".join(t.text) for t in fig.data if isinstance(t, go.Scattergeo) and t.mode == "text")
    assert "Hoàng Sa" in texts and "Trường Sa" in texts and "Đà Nẵng" in texts and "Khánh Hòa" in texts
    # home and highlight outlined and labelled
    outlines = {t.locations[0]: t.marker.line.color for t in fig.data if (t.name or "").startswith("outline ")}
    assert outlines == {"74": maps.HOME_COLOR, "79": maps.SELECTED_COLOR}
    lab = [t for t in fig.data if t.name == "labels"][0]
    assert any("Bình Dương" in x for x in lab.text)
    # no base map at all, fit to our polygons
    assert fig.layout.geo.visible is False and fig.layout.geo.fitbounds == "locations"
    # provinces are not approximate: no note
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "gần đúng" not in notes and "Natural Earth" in notes


def test_hover_has_name_value_rank_change_in_vietnamese_format():
    df = _df("province", "legacy", missing=0)
    df.loc[df.code == "74", ["value", "display_rank", "display_of", "rank_change"]] = [86.93, 4, 63, 13]
    fig = maps.choropleth(df, "province", "legacy", lang="vi", decimals=2)
    text = next(x for t in _class_traces(fig) for c, x in zip(t.locations, t.text, strict=True) if c == "74")
    assert "Bình Dương" in text and "86,93" in text and "4/63" in text and "▲ 13" in text
    fig_en = maps.choropleth(df, "province", "legacy", lang="en", decimals=2)
    text = next(x for t in _class_traces(fig_en) for c, x in zip(t.locations, t.text, strict=True) if c == "74")
    assert "86.93" in text and "Rank" in text


def test_direction_reverses_palette_best_class_darkest():
    df = _df("province", "legacy", missing=0)
    hi = maps.choropleth(df, "province", "legacy", direction="higher_is_better")
    lo = maps.choropleth(df, "province", "legacy", direction="lower_is_better")
    top = df.sort_values("value").code.iloc[-1]

    def colour_of(fig, code):
        t = next(t for t in _class_traces(fig) if code in t.locations)
        return t.colorscale[0][1]

    assert colour_of(hi, top) == maps.palette(5)[-1]  # darkest for the best
    assert colour_of(lo, top) == maps.palette(5, "lower_is_better")[-1]  # lightest: worst when lower is better
    assert maps.palette(5)[::-1] == maps.palette(5, "lower_is_better")


def test_fixed_breaks_and_bands_keep_a_stable_legend():
    classes, idx = maps.classify([55, 71, 79.9, 80, 95, None], "fixed", breaks=[70, 80, 90])
    assert [(c["lo"], c["hi"]) for c in classes] == [(None, 70), (70, 80), (80, 90), (90, None)]
    assert idx == [0, 1, 1, 2, 3, None]
    grades = [{"label": "A", "min": 90, "max": None}, {"label": "B", "min": 80, "max": 90},
              {"label": "C", "min": None, "max": 80}]
    classes, idx = maps.classify([91, 85, 79, 90, 80], "bands", bands=grades)
    assert [c["band"] for c in classes] == ["C", "B", "A"]
    assert idx == [2, 1, 0, 2, 1]
    df = _df("province", "legacy", missing=0)
    df["value"] = 92.0  # every unit in band A: B and C still listed
    fig = maps.choropleth(df, "province", "legacy", classification="bands", bands=grades, lang="en")
    names = [t.name for t in _class_traces(fig)]
    assert names == ["A (≥ 90)", "B (80–<90)", "C (< 80)"]
    q, qi = maps.classify([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "quantile", n_classes=5)
    assert len(q) == 5 and qi[0] == 0 and qi[-1] == 4
    e, _ = maps.classify([0, 10], "equal", n_classes=4)
    assert [c["lo"] for c in e] == [0, 2.5, 5, 7.5]
    with pytest.raises(ValueError):
        maps.classify([1], "fixed")


def test_approximate_layers_carry_the_note_and_province_filter():
    df = _df("commune", "legacy", province_code="74")
    fig = maps.choropleth(df, "commune", "legacy", province_code="74", lang="vi", title="Xã phường Bình Dương")
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "Ranh giới gần đúng" in notes
    assert fig.layout.meta["map"]["approximate"] is True and fig.layout.meta["map"]["features"] == 91
    en = maps.choropleth(df, "commune", "legacy", province_code="74", lang="en")
    assert "Approximate boundaries" in " ".join(a.text for a in en.layout.annotations)
    # not a national map: no archipelago labels
    assert not any(t.name == "archipelago labels" for t in fig.data)
    df34 = _df("commune", "2025", province_code="79")
    fig = maps.choropleth(df34, "commune", "2025", province_code="79")
    assert fig.layout.meta["map"]["features"] == len(df34)


def test_unit_id_input_and_payload_sizes():
    df = _df("province", "2025", missing=1)
    df["unit_id"] = "new-p-" + df.pop("code")
    fig = maps.choropleth(df, "province", "2025", lang="vi")
    assert fig.layout.meta["map"]["features"] == 34
    size = len(fig.to_json().encode())
    assert size < 450 * 1024, size
    wards = _df("commune", "legacy", missing=500)
    fig = maps.points_map(wards, "commune", "legacy", lang="vi", title="10k wards")
    n_points = sum(len(t.lon) for t in fig.data if isinstance(t, go.Scattergeo) and t.mode == "markers"
                   and t.name not in ("islands",) and t.lon is not None and t.lon[0] is not None)
    assert n_points == 10035
    assert "Không có số liệu" in _legend(fig)
    assert len(fig.to_json().encode()) < 3 * 1024 * 1024


def test_national_commune_map_shows_islands():
    df = _df("commune", "2025", missing=10)
    fig = maps.choropleth(df, "commune", "2025", hatch=False)
    assert any(t.name == "archipelago labels" for t in fig.data)
    assert len(fig.to_json().encode()) < 4 * 1024 * 1024


def test_offline_html_has_no_cdn():
    fig = maps.choropleth(_df("province", "2025"), "province", "2025")
    html = maps.offline_html(fig)
    assert "cdn.plot.ly/plotly" not in html and 'src="http' not in html
    assert "PlotlyGeoAssets" in html and "world_110m" in html
    assert json.loads(fig.to_json())["layout"]["geo"]["visible"] is False


def test_da_nang_and_khanh_hoa_maps_show_their_archipelago_in_an_inset():
    for level, vintage, pc, key in (("district", "legacy", "48", "Hoàng Sa"), ("commune", "2025", "56", "Trường Sa")):
        df = _df(level, vintage, province_code=pc, missing=0)
        fig = maps.choropleth(df, level, vintage, province_code=pc)
        assert fig.layout.geo2.domain.x[0] > 0.5
        inset = [t for t in fig.data if getattr(t, "geo", None) == "geo2"]
        assert isinstance(inset[0], go.Scattergeo) and inset[0].lon is not None
        # named above the inset box (outside the geo frame, so never clipped by it)
        label = [a for a in fig.layout.annotations if a.name == "archipelago-label"]
        assert len(label) == 1 and key in label[0].text and label[0].y == fig.layout.geo2.domain.y[1]
        # the main frame holds only mainland polygons (fitbounds frames the province, not the sea)
        for t in fig.data:
            if isinstance(t, go.Choropleth):
                for f in t.geojson["features"]:
                    from shapely.geometry import shape

                    assert shape(f["geometry"]).bounds[2] < maps.MAINLAND_MAX_LON


def test_map_messages_meet_the_payload_targets_and_keep_shared_borders():
    """Province maps ≤ 300 KB, the 3,321 communes ≤ 2 MB (what Streamlit sends is ``fig.to_json()``), with
    every unit drawn once, on a coarser grid, clockwise, and the display geometry still a coverage."""
    for level, vintage, limit in (("province", "legacy", 300), ("province", "2025", 300), ("commune", "2025", 2048)):
        df = _df(level, vintage, missing=len(layers.layer_geojson(level, vintage)["features"]) // 7)
        fig = maps.choropleth(df, level, vintage, home=df.code.iloc[5], highlight=[df.code.iloc[9]])
        size = len(fig.to_json().encode()) / 1024
        assert size <= limit, (level, vintage, size)
    from shapely.geometry import shape

    full = layers.layer_geojson("province", "legacy")["features"]
    shown = layers.display_geojson("province", "legacy")["features"]
    assert [f["properties"]["code"] for f in shown] == [f["properties"]["code"] for f in full]
    for f, g in zip(full, shown, strict=True):
        a, b = shape(f["geometry"]), shape(g["geometry"])
        assert abs(a.area - b.area) / a.area < 0.02 and b.is_valid
        ring = list(b.geoms[0].exterior.coords) if b.geom_type == "MultiPolygon" else list(b.exterior.coords)
        assert not shapely.LinearRing(ring).is_ccw  # d3 reads a counter-clockwise exterior as the whole globe
    # neighbouring communes still share their borders after simplification
    by = {f["properties"]["code"]: shape(f["geometry"]) for f in layers.display_geojson("commune", "2025")["features"]}
    codes = list(by)[:200]
    union_area = shapely.union_all([by[c] for c in codes]).area
    # overlaps (grid snapping) stay below 0.01 % of the area: invisible, no slivers
    assert abs(union_area - sum(by[c].area for c in codes)) / union_area < 1e-4


def test_band_named_by_its_range_is_not_repeated():
    classes, _ = maps.classify([0.5, 1.5], "bands", bands=[{"label": "0–1", "min": 0, "max": 1},
                                                           {"label": "Khá", "min": 1, "max": None}])
    labels = [maps._class_label(c, "vi", 0) for c in classes]
    assert labels == ["0–1", "Khá (≥ 1)"]


def test_archipelagos_are_drawn_in_their_own_neutral_style_not_as_data():
    """Hoàng Sa and Trường Sa are named, never coloured as Đà Nẵng's or Khánh Hòa's value: their markers and
    shapes take the islands' grey, and no class or no-data polygon reaches past the mainland."""
    for level, vintage in (("province", "legacy"), ("commune", "2025")):
        df = _df(level, vintage, missing=0)  # every unit has a value, Đà Nẵng and Khánh Hòa included
        fig = maps.choropleth(df, level, vintage, hatch=False)
        data_colours = {c["colour"].lower() for c in fig.layout.meta["map"]["classes"]} | {maps.NO_DATA_FILL.lower()}
        markers = [t for t in fig.data if t.name == "islands"]
        shapes = [t for t in fig.data if t.name == "island shapes"]
        assert len(markers) == 1 and len(shapes) == 1, [t.name for t in fig.data]
        colours = {markers[0].marker.color.lower(), *(c.lower() for _, c in shapes[0].colorscale)}
        assert colours == {maps.ISLAND_FILL.lower()} and not colours & data_colours
        assert len(shapes[0].locations) == 2  # the far parts of the two units that hold the archipelagos
        for t in fig.data:
            if isinstance(t, go.Choropleth) and t.name != "island shapes":
                for f in t.geojson["features"]:
                    assert shape(f["geometry"]).bounds[2] < maps.MAINLAND_MAX_LON, (t.name, f["properties"])
        labels = [t for t in fig.data if t.name == "archipelago labels"][0]
        assert any("Hoàng Sa" in x for x in labels.text) and any("Trường Sa" in x for x in labels.text)
    df = _df("district", "legacy", province_code="48", missing=0)
    inset = [t for t in maps.choropleth(df, "district", "legacy", province_code="48").data if t.name == "inset islands"]
    assert inset and inset[0].marker.color == maps.ISLAND_FILL
