"""Tests of the indicator catalog (data/indicators.yaml + data/component_labels.csv)."""

from __future__ import annotations

import csv
import re
import textwrap
import unicodedata
from pathlib import Path

import pytest

from analytics.catalog import CatalogError, UnknownIndicator, load_catalog
from analytics.paths import DATA_DIR, ROOT

REF_DIR = ROOT.parent / "shared" / "reference-data"
REF_FILES = sorted(p for p in REF_DIR.glob("*.csv") if "aliases" not in p.name) if REF_DIR.exists() else []


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def _ref_pairs():
    pairs = set()
    for path in REF_FILES:
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                pairs.add((row["index_code"], unicodedata.normalize("NFC", row["component"].strip())))
    return pairs


@pytest.mark.skipif(not REF_FILES, reason="reference data (../shared/reference-data) not present")
def test_every_reference_code_and_label_maps_to_an_existing_id(cat):
    pairs = _ref_pairs()
    assert len(pairs) > 90
    for code, label in sorted(pairs):
        ind = cat.by_reference_code(code, label)
        assert ind.id in cat
        assert code in ind.reference_codes, (code, label, ind.id)


def test_every_code_has_an_overall_mapping(cat):
    for code, iid in [("PAR_INDEX", "par_index"), ("DTI_34", "dti_34"), ("BD_766_WARD", "bd_766_ward"),
                      ("MIC_ITAPP", "mic_it_app"), ("PCI", "pci"), ("PAPI", "papi"), ("SIPAS", "sipas"),
                      ("POPULATION", "population"), ("AREA_KM2_34", "area_km2_34")]:
        assert cat.by_reference_code(code, "").id == iid
        assert cat.by_reference_code(code, None).id == iid


def test_specific_label_mappings(cat):
    assert cat.by_reference_code("PCI", "Sub-Index 1: Entry Costs").id == "pci.entry_costs"
    assert cat.by_reference_code("PCI", "Gia nhập thị trường").id == "pci.entry_costs"
    assert cat.by_reference_code("PCI", "Hỗ trợ doanh nghiệp").id == "pci.business_support"
    assert cat.by_reference_code("PCI", "Chính sách hỗ trợ doanh nghiệp").id == "pci.business_support"
    assert cat.by_reference_code("PAR_INDEX", "行政手続き改革 (Cải cách thủ tục hành chính)").id == "par_index.area_tthc"
    assert cat.by_reference_code("PAR_INDEX", "服务满意度指数 (chỉ số hài lòng SIPAS)").id == "par_index.part_sipas"
    assert cat.by_reference_code("POPULATION", "Average population (Thous. pers.)").id == "population"
    assert cat.by_reference_code("POPULATION", "Population (persons), 2019 census").id == "population_census"
    with pytest.raises(UnknownIndicator):
        cat.by_reference_code("PCI", "no such label")


def test_labels_file_only_names_catalog_ids(cat):
    with open(DATA_DIR / "component_labels.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["indicator_id"] in cat for r in rows)


def test_every_id_has_vi_and_en_names(cat):
    assert len(cat) >= 60
    for ind in cat:
        for lang in ("vi", "en"):
            assert ind.name[lang].strip() and ind.short[lang].strip(), ind.id
            assert ind.label(lang) == ind.name[lang]
        assert ind.publisher["vi"] and ind.publisher["en"]
        assert ind.source_url.startswith("http")


def test_required_entries_and_components(cat):
    for iid in ["par_index", "sipas", "mic_it_app", "ict_index", "dti", "dti_34", "papi", "pci", "bcs766",
                "bd_par_district", "bd_par_department", "bd_766_district", "bd_766_ward",
                "population", "population_census", "area_km2", "population_34", "area_km2_34"]:
        assert cat.get(iid).parent is None
    assert len([c for c in cat.children("par_index") if c.id.startswith("par_index.area_")]) == 8
    assert len(cat.children("papi")) == 8
    assert len(cat.children("pci")) == 10
    assert {c.id for c in cat.children("dti")} >= {"dti.pillar_gov", "dti.pillar_economy", "dti.pillar_society"}
    assert len([c for c in cat.children("dti") if not c.id.startswith(("dti.pillar_", "dti.gov2020_"))]) == 8
    assert len([c for c in cat.children("dti") if c.id.startswith("dti.gov2020_")]) == 3
    assert {c.id for c in cat.children("bd_par_district")} == {"bd_par_district.appraisal", "bd_par_district.survey"}
    assert cat.get("bd_par_district.appraisal").scale_for(2017).max == 65
    assert cat.get("bd_par_district.survey").scale_for(2017).max == 35
    assert cat.get("bd_par_department").levels == ["agency"]
    assert cat.get("bd_766_ward").levels == ["commune"]
    with pytest.raises(UnknownIndicator):
        cat.get("nope")


def test_components_inherit_from_parent(cat):
    tthc = cat.get("par_index.area_tthc")
    assert tthc.kind == "component" and tthc.parent == "par_index"
    assert tthc.publisher == cat.get("par_index").publisher
    assert tthc.direction == "higher_is_better" and tthc.levels == ["province"]
    assert cat.get("pci.entry_costs").scale_for(2015).max == 10


def test_par_bands(cat):
    par = cat.get("par_index")
    assert par.band_for(91.04, 2020).label == "A"
    assert par.band_for(86.93, 2020).label == "B"
    assert par.band_for(73.25, 2020).label == "C"
    assert par.band_for(90.0, 2024).label == "A"
    assert par.band_for(89.99, 2024).label == "B"
    # 2018 used different grades
    assert par.band_for(89.06, 2018).label == "A"
    assert par.band_for(76.92, 2018).label == "B"
    assert par.band_for(69.0, 2018).label == "D"
    assert par.band_for(None, 2020) is None
    assert par.band_for(80.0, 2012) is None  # no band stated for that year


def test_papi_scale_by_year_and_break(cat):
    papi = cat.get("papi")
    assert papi.scale_for(2017).max == 60
    assert papi.scale_for(2011).max == 60
    assert papi.scale_for(2018).max == 80
    assert papi.scale_for(2024).max == 80
    brk = papi.breaks_between(2017, 2018)
    assert brk and brk[0].year == 2018 and brk[0].text("en")
    assert papi.breaks_between(2018, 2017) == brk
    assert papi.breaks_between(2018, 2024) == []
    assert papi.breaks_between(2018, 2018) == []
    # dimensions are 0–10 every year and carry the parent's break
    d7 = cat.get("papi.d7_environment")
    assert d7.scale_for(2017).max == 10 and d7.scale_for(2019).max == 10
    assert d7.breaks_between(2017, 2018)
    assert d7.edition(2017) is None and d7.edition(2019) is not None
    assert cat.get("papi.d1_participation").edition(2011) is not None


def test_other_breaks(cat):
    assert [b.year for b in cat.get("pci").breaks_between(2012, 2013)] == [2013]
    assert [b.year for b in cat.get("pci").breaks_between(2020, 2021)] == [2021]
    assert [b.year for b in cat.get("dti").breaks_between(2020, 2021)] == [2021]
    assert cat.get("mic_it_app").breaks_between(2019, 2020)
    assert cat.get("ict_index").breaks_between(2019, 2020)


def test_dti_34_and_editions(cat):
    d34 = cat.get("dti_34")
    assert d34.vintage == "2025"
    assert d34.variant_of == "dti"
    assert d34.edition(2024).n_ranked == 34
    assert d34.average(2024).value == pytest.approx(0.6961)
    assert cat.get("dti").edition(2024).n_ranked == 63
    pci23 = cat.get("pci").edition(2023)
    assert pci23.n_ranked == 63 and pci23.published_top == 30
    assert cat.get("pci").edition(2019) is not None
    assert cat.get("par_index").edition(2024).published == "2025-04-06"
    assert cat.get("par_index").edition(1999) is None


def test_published_averages(cat):
    par = cat.get("par_index")
    assert par.average(2024).value == pytest.approx(88.37)
    assert par.average(2018).value == pytest.approx(76.92)
    assert par.average(2013).value == pytest.approx(77.56)
    sipas = cat.get("sipas")
    assert [sipas.average(y).value for y in (2022, 2023, 2024)] == [80.08, 82.66, 83.94]
    assert cat.get("bd_par_district").average(2017).value == pytest.approx(78.39)
    assert cat.get("bd_par_district").average(2023).value == pytest.approx(91.98)
    assert cat.get("bd_par_department").average(2023, level="agency").value == pytest.approx(85.41)
    for ind in cat:
        for avg in ind.published_averages:
            assert avg.source_url.startswith("http")


def test_context_variables(cat):
    ctx = {i.id for i in cat.indicators(kind="context")}
    assert ctx == {"population", "population_census", "area_km2", "population_34", "area_km2_34"}
    for iid in ctx:
        assert cat.get(iid).direction is None
    assert cat.get("population_34").vintage == "2025" and cat.get("area_km2_34").vintage == "2025"
    assert all(i.direction is not None for i in cat.indicators(kind="index"))
    assert cat.get("bd_par_department") in cat.indicators(level="agency")


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "indicators.yaml"
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


GOOD = """
indicators:
- id: foo
  parent: null
  kind: index
  name: {vi: "Foo vi", en: "Foo en"}
  short: {vi: "F", en: "F"}
  unit: "%"
  scale: {min: 0, max: 100}
  decimals: 2
  direction: DIRECTION
  levels: [province]
  vintage: legacy
  publisher: {vi: "P", en: "P"}
  source_url: "https://example.org"
- id: foo.bar
  parent: PARENT
  kind: component
  name: {vi: "Bar vi", en: "Bar en"}
  short: {vi: "B", en: "B"}
"""


def test_minimal_yaml_loads(tmp_path):
    c = load_catalog(_write(tmp_path, GOOD.replace("DIRECTION", "higher_is_better").replace("PARENT", "foo")))
    assert c.get("foo.bar").unit == "%"
    assert [i.id for i in c.children("foo")] == ["foo.bar"]


def test_bad_direction_names_the_id(tmp_path):
    p = _write(tmp_path, GOOD.replace("DIRECTION", "up_is_good").replace("PARENT", "foo"))
    with pytest.raises(CatalogError, match=r"'foo'.*direction"):
        load_catalog(p)


def test_unknown_parent_names_the_id(tmp_path):
    p = _write(tmp_path, GOOD.replace("DIRECTION", "higher_is_better").replace("PARENT", "nope"))
    with pytest.raises(CatalogError, match=r"'foo\.bar'.*parent.*nope"):
        load_catalog(p)


def test_missing_name_names_the_id(tmp_path):
    body = GOOD.replace("DIRECTION", "higher_is_better").replace("PARENT", "foo")
    body = body.replace('  name: {vi: "Bar vi", en: "Bar en"}\n', '  name: {vi: "Bar vi"}\n')
    with pytest.raises(CatalogError, match=r"'foo\.bar'.*name.*en"):
        load_catalog(_write(tmp_path, body))


def test_bad_level_and_duplicate(tmp_path):
    body = GOOD.replace("DIRECTION", "higher_is_better").replace("PARENT", "foo")
    with pytest.raises(CatalogError, match=r"'foo'.*levels"):
        load_catalog(_write(tmp_path, body.replace("levels: [province]", "levels: [planet]")))
    dup = body + body.split("indicators:\n", 1)[1].split("- id: foo.bar")[0]
    with pytest.raises(CatalogError, match=r"'foo'.*duplicate"):
        load_catalog(_write(tmp_path, dup))


def test_derive_2025_is_data_with_its_source(cat, tmp_path):
    dti = cat.get("dti").derive_2025
    assert dti["method"] == "mean_of_former" and dti["source_url"].startswith("https://")
    assert cat.get("par_index").derive_2025 is None  # no published method: nothing is derived
    body = GOOD.replace("DIRECTION", "higher_is_better").replace("PARENT", "foo")
    with_method = body.replace('  source_url: "https://example.org"\n',
                               '  source_url: "https://example.org"\n  derive_2025: {method: METHOD, '
                               'source_url: "https://example.org/m"}\n', 1)
    assert load_catalog(_write(tmp_path, with_method.replace("METHOD", "mean_of_former"))).get(
        "foo").derive_2025["method"] == "mean_of_former"
    with pytest.raises(CatalogError, match=r"'foo'.*derive_2025\.method"):
        load_catalog(_write(tmp_path, with_method.replace("METHOD", "population_weighted_guess")))


def test_new_catalog_years_and_components(cat):
    assert set(cat.get("ict_index").editions) >= {2010, 2015, 2016, 2017, 2018, 2019, 2020, 2022, 2023}
    assert set(cat.get("pci").editions) >= set(range(2006, 2025))
    assert cat.get("pci").edition(2024).published_top == 30
    assert cat.get("bd_par_commune").edition(2017).n_ranked == 91
    assert cat.by_reference_code("BD_PAR_COMMUNE", "").id == "bd_par_commune"
    assert cat.by_reference_code("DTI", "Chỉ số Thông tin và Dữ liệu số").id == "dti.gov2020_information_data"
    assert cat.get("dti.gov2020_information_data").exists_in(2020)
    assert not cat.get("dti.gov2020_information_data").exists_in(2021)
    assert cat.by_reference_code("DTI", "XHS (xã hội số)").id == "dti.pillar_society"
    assert cat.by_reference_code("PAR_INDEX", "điểm thẩm định").id == "par_index.part_appraisal"
    assert cat.get("par_index.part_appraisal").exists_in(2018)


def test_catalog_comments_name_no_machine_path():
    text = (DATA_DIR / "indicators.yaml").read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert comments and not [c for c in comments if re.search(r"\s/[A-Za-z_]+/[A-Za-z_.-]+/", c)]
