"""analytics.imports.cells: one cell at a time, with the message key of every refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.i18n import t
from analytics.imports.cells import (
    CellError,
    ambiguous_readings,
    check_text,
    clean_name,
    parse_number,
    parse_rank,
    parse_year,
)


@pytest.mark.parametrize("cell, expected", [("84,58", (84.58, False)), ("84.58", (84.58, False)),
                                            ("1.234.567", (1234567.0, False)), ("1,234,567", (1234567.0, False)),
                                            ("1.234,5", (1234.5, False)), ("91,43%", (91.43, True)),
                                            ("\u221212", (-12.0, False)), ("-", (None, False)), (84.58, (84.58, False))])
def test_numbers_the_vietnamese_and_the_english_way(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell, key", [("=A1+B1", "formula_number"), ("12/05/2017", "looks_like_date"),
                                       ("84,5,8", "two_separators"), ("#DIV/0!", "not_finite_text"),
                                       ("tám", "not_numeric"), (True, "bool_not_number"),
                                       (dt.date(2017, 5, 12), "date_not_number")])
def test_bad_numbers_name_their_message_key(cell, key):
    with pytest.raises(CellError) as e:
        parse_number(cell)
    assert e.value.key == key and e.value.message == t(f"import.{key}", "en", **e.value.params)
    assert t(f"import.{key}", "vi", **e.value.params) != e.value.message          # both languages


@pytest.mark.parametrize("cell, readings", [("1.997", (1.997, 1997.0)), ("1,064", (1.064, 1064.0)),
                                            ("84,58", None), ("1.234.567", None), (1.997, None)])
def test_a_lone_separator_before_three_digits_is_ambiguous(cell, readings):
    assert ambiguous_readings(cell) == readings


def test_years_and_ranks():
    assert parse_year("2017") == 2017 and parse_year(2017.0) == 2017 and parse_year(" ") is None
    assert parse_rank("4") == 4 and parse_rank("4,0") == 4 and parse_rank("n/a") is None
    for bad, parse in (("2017-05-12", parse_year), ("4.5", parse_rank), ("=RANK(A1)", parse_rank)):
        with pytest.raises(CellError):
            parse(bad)


def test_names_lose_invisible_characters():
    assert clean_name("Thành\u00a0phố\u200b Thủ Dầu\u202e Một\u2066") == "Thành phố Thủ Dầu Một"
    assert check_text(" Huyện\u00a0Bàu Bàng ", "locality") == "Huyện Bàu Bàng"


@pytest.mark.parametrize("text", ["=HYPERLINK(\"x\")", "+HYPERLINK(\"x\")", "@SUM(A1)", "-cmd|x", "+(1)"])
def test_formula_like_text_is_refused_in_names(text):
    with pytest.raises(CellError) as e:
        check_text(text, "locality")
    assert e.value.code == "formula_text"


def test_notes_may_start_with_a_bullet_but_never_with_equals():
    assert check_text("- xem phụ lục", "note", multiline=True) == "- xem phụ lục"
    assert check_text("+ số liệu sơ bộ", "note", multiline=True) == "+ số liệu sơ bộ"
    with pytest.raises(CellError):
        check_text("=1+1", "note", multiline=True)
