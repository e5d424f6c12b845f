"""The catalog's schema (analytics.catalog_schema) and its band periods: shape errors and overlapping periods
name the file, the indicator and the field; one period per year, the same for the table, the map and a grade."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from analytics.catalog import CatalogError, load_catalog
from analytics.catalog_schema import schema_errors
from analytics.paths import DATA_DIR
from analytics.ranking import _band_labels


def _entry(**extra):
    e = {"id": "foo", "parent": None, "kind": "index", "name": {"vi": "Foo", "en": "Foo"},
         "short": {"vi": "F", "en": "F"}, "unit": "%", "scale": {"min": 0, "max": 100}, "decimals": 2,
         "direction": "higher_is_better", "levels": ["province"], "vintage": "legacy",
         "publisher": {"vi": "P", "en": "P"}, "source_url": "https://example.org"}
    e.update(extra)
    return e


def _write(tmp_path, *entries):
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump({"indicators": list(entries)}, allow_unicode=True), encoding="utf-8")
    return path


def _grades(*labels_and_mins):
    return [{"label": lab, "min": lo, "max": None} for lab, lo in labels_and_mins]


def test_the_real_catalog_follows_the_schema():
    assert schema_errors(yaml.safe_load((DATA_DIR / "indicators.yaml").read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize(("extra", "field"), [
    ({"decimals": "two"}, "decimals"),
    ({"colour": "red"}, "(entry)"),
    ({"bands": [{"from": 2020, "grades": []}]}, "bands.0.grades"),
    ({"editions": {2020: {"n_ranked": 0}}}, "editions.2020.n_ranked"),
    ({"source_url": "ftp://example.org"}, "source_url"),
])
def test_a_shape_error_names_file_indicator_and_field(tmp_path, extra, field):
    path = _write(tmp_path, _entry(**extra))
    with pytest.raises(CatalogError) as e:
        load_catalog(path)
    assert str(e.value).startswith(f"{path}: indicator 'foo': field '{field}': ")


def test_overlapping_band_periods_are_refused(tmp_path):
    bands = [{"from": 2015, "to": 2020, "grades": _grades(("A", 90), ("B", 0))},
             {"from": 2019, "to": None, "grades": _grades(("A", 80), ("B", 0))}]
    path = _write(tmp_path, _entry(bands=bands))
    with pytest.raises(CatalogError, match=rf"^{path}: indicator 'foo': field 'bands': .*overlap in 2019"):
        load_catalog(path)
    open_ended_first = [{"from": 2015, "grades": _grades(("A", 90))}, {"from": 2030, "grades": _grades(("A", 1))}]
    with pytest.raises(CatalogError, match="overlap in 2030"):
        load_catalog(_write(tmp_path, _entry(bands=open_ended_first)))


def test_one_band_period_per_year_for_table_map_and_grade(tmp_path):
    bands = [{"from": 2015, "to": 2018, "grades": _grades(("A", 90), ("B", 0))},
             {"from": 2019, "to": None, "grades": _grades(("A", 80), ("B", 0))}]
    ind = load_catalog(_write(tmp_path, _entry(bands=bands))).get("foo")
    assert ind.band_period(2014) is None
    assert ind.band_period(2018).start == 2015 and ind.band_period(2019).start == 2019
    values = np.array([85.0, 95.0, 50.0])
    for year, expected in ((2018, ["B", "A", "B"]), (2024, ["A", "A", "B"])):
        # the ranking table's band column and the grade of one value (findings, trends) agree
        assert list(_band_labels(ind, year, values, np.zeros(3, dtype=bool))) == expected
        assert [ind.band_for(v, year).label for v in values] == expected
    assert ind.band_for(85.0, 2010) is None
