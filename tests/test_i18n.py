"""Language layer: the strings (analytics.i18n; the catalogs themselves in test_i18n_catalogs) and the
formats (analytics.fmt)."""

from __future__ import annotations

import datetime as dt
import math
import random
import string
from pathlib import Path

import pytest

from analytics import fmt, i18n
from analytics.fmt import (
    NO_DATA,
    fmt_date,
    fmt_number,
    fmt_rank,
    fmt_rank_change,
    fmt_signed,
    fmt_value,
    vi_sort_key,
    vi_sorted,
)
from analytics.i18n import t

ROOT = Path(__file__).resolve().parents[1]


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


# ------------------------------------------------------------------------------------ strings
def test_missing_key_language_or_placeholder_raises_keyerror():
    with pytest.raises(KeyError):
        t("no.such.key", "vi")
    with pytest.raises(KeyError):
        t("page.overview.title", "fr")
    with pytest.raises(KeyError):
        t("label.derived_from", "vi")  # {n} not given


def test_page_titles_and_core_labels():
    expected = {
        "page.overview.title": ("Tổng quan", "Overview"),
        "page.rankings.title": ("Xếp hạng", "Rankings"),
        "page.profile.title": ("Hồ sơ địa phương", "Locality profile"),
        "page.compare.title": ("So sánh", "Compare"),
        "page.within.title": ("Trong tỉnh", "Within a province"),
        "page.reorg.title": ("Sắp xếp 2025", "The 2025 reorganisation"),
        "page.data.title": ("Dữ liệu & nguồn", "Data and sources"),
        "page.import.title": ("Nhập dữ liệu", "Import data"),
        "app.name": ("Chỉ số", "Chỉ số"),
        "label.no_data": ("Không có số liệu", "No data"),
    }
    for key, (vi, en) in expected.items():
        assert t(key, "vi") == vi
        assert t(key, "en") == en
    for page in ("overview", "rankings", "profile", "compare", "within", "reorg", "data", "import"):
        assert t(f"page.{page}.help", "vi") != t(f"page.{page}.help", "en")
    for key in ("picker.locality", "picker.indicator", "picker.year", "picker.region",
                "label.approximate_boundaries", "label.series_break", "label.method_notes", "download.csv",
                "download.xlsx", "app.presentation_view",
                "label.national_average", "label.region_average", "label.leader", "label.not_comparable"):
        assert i18n.has(key), key
    assert not i18n.has("no.such.key")


def test_placeholders_and_singular_variant():
    assert t("label.derived_from", "vi", n=3) == "Quy đổi từ 3 đơn vị cũ"
    assert t("label.derived_from", "en", n=3) == "Derived from 3 former units"
    assert t("label.derived_from", "en", n=1) == "Derived from 1 former unit"
    assert t("label.derived_from", "vi", n=1) == "Quy đổi từ 1 đơn vị cũ"
    notice = t("notice.unit_ended", "vi", name="Tỉnh Bình Dương", successor="TP. Hồ Chí Minh")
    assert "30/6/2025" in notice and "TP. Hồ Chí Minh" in notice
    assert "1 July 2025" in t("notice.unit_new", "en", name="Ho Chi Minh City", former="A, B and C")
    assert t("app.footer", "vi", date="25/11/2025") == "Chỉ số · 25/11/2025"


def test_no_streamlit_in_the_pure_layer():
    for rel in ("analytics/fmt.py", "analytics/i18n.py", "figures/__init__.py", "figures/charts.py",
                "figures/export.py", "figures/tables.py", "figures/style.py"):
        assert "streamlit" not in (ROOT / rel).read_text(encoding="utf-8"), rel


# ------------------------------------------------------------------------------------------ numbers
def test_fmt_number_per_language():
    assert fmt_number(86.93, "vi") == "86,93"
    assert fmt_number(86.93, "en") == "86.93"
    assert fmt_number(1234567, "vi", 0) == "1.234.567"
    assert fmt_number(1234567, "en", 0) == "1,234,567"
    assert fmt_number(1234567.891, "vi") == "1.234.567,89"
    assert fmt_number(86.925, "vi") == "86,93"  # half up on the decimal value, not binary
    assert fmt_number(0.8355, "en", 3) == "0.836"
    assert fmt_number(-1234.5, "vi", 1) == "-1.234,5"
    assert fmt_number(-0.001, "vi") == "0,00"  # never "-0,00"
    assert fmt_number(999, "vi", 0) == "999"


@pytest.mark.parametrize("missing", [None, float("nan"), math.nan])
def test_missing_never_formats_as_zero(missing):
    for lang in ("vi", "en"):
        for text in (fmt_number(missing, lang), fmt_value(missing, "%", lang), fmt_rank(missing, 63, lang),
                     fmt_rank_change(missing, lang), fmt_signed(missing, lang), fmt_date(missing, lang)):
            assert "0" not in text
            assert text == "—"
        assert fmt_value(missing, "%", lang, na=NO_DATA[lang]) == NO_DATA[lang]


def test_missing_pandas_values():
    pd = pytest.importorskip("pandas")
    assert fmt_number(pd.NA, "vi") == "—"
    assert fmt_date(pd.NaT, "en") == "—"
    assert fmt_value(pd.Series([None], dtype="Float64").iloc[0], "%", "vi") == "—"
    assert fmt_number(pd.Series([1.5]).iloc[0], "vi") == "1,50"  # numpy float


def test_fmt_value_units():
    assert fmt_value(86.93, "%", "vi") == "86,93%"
    assert fmt_value(86.93, "percent", "en") == "86.93%"
    assert fmt_value(0.8361, "ratio", "vi") == "0,836"
    assert fmt_value(0.8361, "index_0_1", "en") == "0.836"
    assert fmt_value(86.9312, "points", "vi") == "86,93"
    assert fmt_value(86.9312, "points", "en", 1) == "86.9"
    assert fmt_value(2678220, "people", "vi") == "2.678.220"
    assert fmt_value(2694.6, "km2", "en") == "2,694.6 km²"
    assert NO_DATA == {"vi": "Không có số liệu", "en": "No data"}


def test_fmt_rank_and_change():
    assert fmt_rank(4, 63, "vi") == "4/63"
    assert fmt_rank(4.0, 63.0, "en") == "4/63"
    assert fmt_rank(4, None, "vi") == "4"
    assert fmt_rank_change(13, "vi") == "▲ 13 bậc"
    assert fmt_rank_change(13, "en") == "▲ 13 places"
    assert fmt_rank_change(-2, "vi") == "▼ 2 bậc"
    assert fmt_rank_change(-1, "en") == "▼ 1 place"
    assert fmt_rank_change(0, "vi") == "không đổi"
    assert fmt_rank_change(0, "en") == "no change"
    assert fmt_rank_change(None, "en") == "—"
    assert fmt_rank_change(13, "vi", unit=False) == "▲ 13"
    assert fmt_signed(1.254, "vi") == "+1,25"
    assert fmt_signed(-0.4, "en") == "-0.40"
    assert fmt_signed(0, "en") == "0.00"


def test_fmt_date():
    d = dt.date(2025, 6, 30)
    assert fmt_date(d, "vi") == "30/06/2025"
    assert fmt_date(d, "en") == "30 Jun 2025"
    assert fmt_date("2025-06-30", "vi", "long") == "ngày 30 tháng 6 năm 2025"
    assert fmt_date(dt.datetime(2025, 6, 30, 12, 0), "en", "long") == "30 June 2025"


def test_unknown_language_raises():
    with pytest.raises(KeyError):
        fmt_number(1, "fr")


# ------------------------------------------------------------------------------------- collation
PROVINCES_VI_ORDER = [
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
]


def test_vietnamese_order_of_provinces():
    shuffled = PROVINCES_VI_ORDER[:]
    random.Random(7).shuffle(shuffled)
    assert vi_sorted(shuffled) == PROVINCES_VI_ORDER


def test_d_stroke_after_every_d_and_breve_circumflex_after_a():
    names = ["Đà Nẵng", "Dương Minh Châu", "Di Linh", "Duy Xuyên", "Đắk Mil", "Dầu Tiếng"]
    out = vi_sorted(names)
    assert out.index("Đà Nẵng") > max(out.index(n) for n in names if n.startswith("D"))
    assert vi_sorted(["Âu Lâu", "Ăn Thi", "Anh Sơn", "Az"]) == ["Anh Sơn", "Az", "Ăn Thi", "Âu Lâu"]
    assert vi_sorted(["Ơ", "Ô", "O", "Ổ"]) == ["O", "Ô", "Ổ", "Ơ"]
    assert vi_sorted(["Ưu", "Uy", "Vy"]) == ["Uy", "Ưu", "Vy"]


def test_tones_are_secondary_in_dictionary_order():
    assert vi_sorted(["Bạ", "Bá", "Bã", "Bả", "Bà", "Ba"]) == ["Ba", "Bà", "Bả", "Bã", "Bá", "Bạ"]
    # letters decide before tones: "Bà Rịa" (a) before "Bắc" (ă) although "Bắc" has a tone too
    assert vi_sorted(["Bắc Ninh", "Bà Rịa"]) == ["Bà Rịa", "Bắc Ninh"]
    # NFC and NFD spellings sort the same
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Đà Nẵng")
    assert vi_sort_key(nfd) == vi_sort_key("Đà Nẵng")


def test_numbers_prefixes_and_missing():
    assert vi_sorted(["Phường 10", "Phường 2", "Phường 1"]) == ["Phường 1", "Phường 2", "Phường 10"]
    assert vi_sorted(["Tỉnh Đồng Nai", "Thành phố Cần Thơ", "Tỉnh An Giang"], ignore_type_prefix=True) == [
        "Tỉnh An Giang", "Thành phố Cần Thơ", "Tỉnh Đồng Nai"]
    assert vi_sorted([None, "An Giang"]) == ["An Giang", None]
    assert fmt.is_missing(float("nan")) and not fmt.is_missing(0)


def test_same_order_as_icu_vietnamese_collation_on_every_unit_name(con):
    """The hand-written key against ICU's CLDR Vietnamese tailoring, on the 14,000 real names (fmt.py says
    why ICU is not a dependency). Names are prepared alike: type prefix and punctuation dropped."""
    icu = pytest.importorskip("icu", reason="PyICU is not installed (optional, e.g. pip install icukit-pyicu)")
    import re

    collator = icu.Collator.createInstance(icu.Locale("vi"))
    collator.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
    punct, seps = re.compile(r"[.,'’\"()\[\]{}:;!?/\\·]"), re.compile(r"[-–—_\s]+")

    def icu_key(name: str) -> bytes:
        bare = fmt._TYPE_PREFIX_RE.sub("", name.strip(), count=1) or name.strip()
        return collator.getSortKey(seps.sub(" ", punct.sub("", bare)).strip())

    names = [r[0] for r in con.execute("SELECT name FROM units").fetchall()]
    assert len(names) > 10_000
    ours = {n: vi_sort_key(n, ignore_type_prefix=True) for n in names}
    by_icu = sorted(names, key=icu_key)
    disagree = [(a, b) for a, b in zip(by_icu, by_icu[1:], strict=False) if ours[a] > ours[b]]
    assert disagree == []
