"""`boundaries add/list/export`: real-format files made in the test, broken files rejected, nothing changed."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo import cli, layers, sources
from geo import user_boundaries as ub

SHARED = sources.ROOT.parent / "shared" / "geo-reference"


@pytest.fixture(autouse=True)
def user_dir(tmp_path, monkeypatch):
    d = tmp_path / "var_boundaries"
    monkeypatch.setenv("CHISO_BOUNDARIES_DIR", str(d))
    layers.clear_cache()
    yield d
    layers.clear_cache()


def _snapshot(d: Path) -> dict:
    if not d.exists():
        return {}
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


@pytest.fixture(scope="module")
def three_provinces() -> gpd.GeoDataFrame:
    """Bình Dương, Bà Rịa-Vũng Tàu, TP.HCM from the built layer, as a user would get them from a GIS office:
    numeric codes, Vietnamese names, projected to VN-2000 / UTM 48N."""
    g = layers.load_layer("province", "legacy")
    g = g[g.code.isin(["74", "77", "79"])].copy()
    out = gpd.GeoDataFrame(
        {"MA_TINH": g.code.astype(int).values, "TEN_TINH": g.name.values, "DIEN_TICH": [1.0, 2.0, 3.0]},
        geometry=g.geometry.values, crs="EPSG:4326",
    )
    return out.to_crs("EPSG:3405")


def test_add_geojson_by_code_reprojects_and_replaces_built_layer(tmp_path, user_dir, three_provinces):
    f = tmp_path / "tinh.geojson"
    three_provinces.to_file(f, driver="GeoJSON")
    rep = ub.add(f, "province", "legacy")
    assert rep["key"] == "MA_TINH" and rep["key_kind"] == "code"
    assert rep["matched_units"] == 3 and rep["unmatched_features"] == 0 and rep["duplicates"] == {}
    assert rep["units_without_feature"] == 60
    gdf = layers.load_layer("province", "legacy")
    assert sorted(gdf.code) == ["74", "77", "79"]
    assert gdf.crs.to_epsg() == 4326
    b = gdf.total_bounds
    assert 105 < b[0] < 108 and 8 < b[1] < 12  # back in lon/lat
    info = layers.layer_info("province", "legacy")
    assert info["user"] is True and info["approximate"] is False
    rows = {(r["level"], r["vintage"]): r for r in layers.list_layers()}
    assert rows[("province", "legacy")]["in_use"] == "user"
    assert rows[("commune", "legacy")]["in_use"] == "built"
    # exterior rings clockwise, as the built layers
    feats = layers.layer_geojson("province", "legacy")["features"]
    ring = feats[0]["geometry"]["coordinates"][0]
    ring = ring[0] if feats[0]["geometry"]["type"] == "MultiPolygon" else ring
    assert not shapely.LinearRing(ring).is_ccw


def test_add_zipped_shapefile_by_name_with_registry(tmp_path, user_dir, three_provinces):
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    three_provinces[["TEN_TINH", "geometry"]].to_file(shp_dir / "tinh.shp", driver="ESRI Shapefile", encoding="utf-8")
    z = tmp_path / "tinh.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in sorted(shp_dir.iterdir()):
            zf.write(p, p.name)
    rep = ub.add(z, "province", "legacy")
    assert rep["key"] == "TEN_TINH" and rep["key_kind"] == "name"
    assert rep["matched_units"] == 3
    assert sorted(layers.load_layer("province", "legacy").code) == ["74", "77", "79"]


def test_add_geopackage_with_invalid_geometry_and_duplicates(tmp_path, user_dir):
    # two wards of Bình Dương: one bow-tie (invalid), one split into two features (duplicates merged)
    bow = shapely.Polygon([(106.60, 11.00), (106.70, 11.10), (106.70, 11.00), (106.60, 11.10), (106.60, 11.00)])
    a = shapely.box(106.70, 11.00, 106.75, 11.05)
    b = shapely.box(106.75, 11.00, 106.80, 11.05)
    gdf = gpd.GeoDataFrame({"ma_xa": ["25741", "25744", "25744"]}, geometry=[bow, a, b], crs="EPSG:4326")
    f = tmp_path / "xa.gpkg"
    gdf.to_file(f, driver="GPKG")
    rep = ub.add(f, "commune", "legacy")
    assert rep["matched_units"] == 2 and rep["duplicates"] == {"25744": 2}
    got = layers.load_layer("commune", "legacy").set_index("code")
    assert got.geometry.is_valid.all()
    assert got.loc["25744"].geometry.area == pytest.approx(0.005, rel=1e-3)
    assert got.loc["25741", "name"] == "Phường Hiệp Thành"
    assert got.loc["25741", "province_code"] == "74"


def test_cli_add_list_export(tmp_path, user_dir, three_provinces, capsys):
    f = tmp_path / "tinh.geojson"
    three_provinces.to_file(f, driver="GeoJSON")
    assert cli.main(["boundaries", "add", str(f), "--level", "province", "--vintage", "legacy", "--key", "MA_TINH"]) == 0
    out = capsys.readouterr().out
    assert "matched units:    3 of 63" in out
    assert cli.main(["boundaries", "list"]) == 0
    assert "user" in capsys.readouterr().out
    out_file = tmp_path / "export.geojson"
    assert cli.main(["boundaries", "export", "--level", "province", "--vintage", "legacy", "--out", str(out_file)]) == 0
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert sorted(x["properties"]["code"] for x in data["features"]) == ["74", "77", "79"]
    # the built approximate layer exports too
    out2 = tmp_path / "wards.geojson"
    assert cli.main(["export", "--level", "commune", "--vintage", "2025", "--out", str(out2)]) == 0
    assert len(json.loads(out2.read_text(encoding="utf-8"))["features"]) == 3321
    assert cli.main(["remove", "--level", "province", "--vintage", "legacy"]) == 0
    assert len(layers.load_layer("province", "legacy")) == 63


def _broken_files(tmp: Path, three_provinces) -> dict[str, tuple[Path, dict]]:
    files = {}
    p = tmp / "notes.geojson"
    p.write_text("this is not geojson", encoding="utf-8")
    files["not geo"] = (p, {})
    p = tmp / "empty.geojson"
    p.write_text('{"type":"FeatureCollection","features":[]}', encoding="utf-8")
    files["no features"] = (p, {})
    d = tmp / "noprj"
    d.mkdir()
    three_provinces.to_file(d / "t.shp", driver="ESRI Shapefile")
    (d / "t.prj").unlink()
    p = tmp / "noprj.zip"
    with zipfile.ZipFile(p, "w") as zf:
        for q in sorted(d.iterdir()):
            zf.write(q, q.name)
    files["unknown crs"] = (p, {})
    p = tmp / "nomatch.geojson"
    g = three_provinces.copy()
    g["MA_TINH"] = [901, 902, 903]
    g["TEN_TINH"] = ["Atlantis", "Lemuria", "Mu"]
    g.to_file(p, driver="GeoJSON")
    files["nothing matched"] = (p, {})
    p = tmp / "wards_as_provinces.geojson"
    w = layers.load_layer("commune", "legacy")
    w = w[w.province_code == "74"][["code", "province_code", "geometry"]]
    w.to_file(p, driver="GeoJSON")
    files["wrong level"] = (p, {})
    p = tmp / "points.geojson"
    gpd.GeoDataFrame({"code": ["74"]}, geometry=[shapely.Point(106.6, 11.1)], crs="EPSG:4326").to_file(p, driver="GeoJSON")
    files["points only"] = (p, {})
    p = tmp / "table.csv"
    p.write_text("code,name\n74,Bình Dương\n", encoding="utf-8")
    files["wrong type"] = (p, {})
    files["bad key"] = (tmp / "tinh_ok.geojson", {"key": "NOPE"})
    three_provinces.to_file(tmp / "tinh_ok.geojson", driver="GeoJSON")
    return files


def test_broken_files_are_rejected_and_nothing_changes(tmp_path, user_dir, three_provinces, capsys):
    good = tmp_path / "good.geojson"
    three_provinces.to_file(good, driver="GeoJSON")
    ub.add(good, "province", "legacy")
    before = _snapshot(user_dir)
    expect = {
        "not geo": "cannot be read",
        "no features": "no features",
        "unknown crs": "coordinate reference system",
        "nothing matched": "no feature matched",
        "wrong level": "use --level commune",
        "points only": "no polygons",
        "wrong type": "unsupported file type",
        "bad key": "no field 'NOPE'",
    }
    for what, (path, kw) in _broken_files(tmp_path, three_provinces).items():
        with pytest.raises(ub.BoundaryError) as exc:
            ub.add(path, "province", "legacy", **kw)
        msg = str(exc.value)
        assert path.name in msg and expect[what] in msg, (what, msg)
        assert _snapshot(user_dir) == before, what
        # the CLI: exit 2, one clear line on stderr, no traceback
        argv = ["boundaries", "add", str(path), "--level", "province", "--vintage", "legacy"]
        if "key" in kw:
            argv += ["--key", kw["key"]]
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "Traceback" not in err and path.name in err
        assert _snapshot(user_dir) == before, what
    assert cli.main(["boundaries", "add", str(good), "--level", "ward", "--vintage", "legacy"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert cli.main(["boundaries", "add", str(good), "--level", "district", "--vintage", "2025"]) == 2
    assert _snapshot(user_dir) == before


def test_normalise_code():
    assert ub.normalise_code(74, "province") == "74"
    assert ub.normalise_code("1", "province") == "01"
    assert ub.normalise_code(25741.0, "commune") == "25741"
    assert ub.normalise_code("old-d-718", "district") == "718"
    assert ub.normalise_code("VN-74", "province") is None
    assert ub.normalise_code("123", "province") is None


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/geo-reference not present")
def test_real_kml_from_shared_reference_by_name(user_dir):
    """The unmodified ODM KML (read from ../shared, never copied): names only, two with typos."""
    rep = ub.add(SHARED / "sources" / "odm_diaphantinh_63.kml", "province", "legacy")
    assert rep["key"] == "ten_tinh" and rep["key_kind"] == "name"
    assert rep["matched_units"] == 61
    assert set(rep["unmatched_values"]) == {"Cần Thơn", "Quản Bình"}
    assert layers.layer_info("province", "legacy")["user"] is True


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/geo-reference not present")
def test_real_geojson_from_shared_reference_districts(user_dir):
    rep = ub.add(SHARED / "binhduong_districts_legacy_voronoi.geojson", "district", "legacy")
    assert rep["matched_units"] == 9 and rep["key"] == "code"
    gj = layers.layer_geojson("district", "legacy", province_code="74")
    assert len(gj["features"]) == 9


def test_user_boundaries_does_not_depend_on_layers():
    """One direction only: geo.layers reads the user registry; geo.user_boundaries never imports geo.layers
    (the two used to import each other inside functions)."""
    import subprocess
    import sys

    code = "import sys, geo.user_boundaries; print('geo.layers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
    for name in ("user_boundaries.py", "boundary_match.py"):
        src = (Path(ub.__file__).parent / name).read_text(encoding="utf-8")
        assert "from geo.layers import" not in src and "from geo import layers" not in src, name
