"""analytics.imports.vocabulary: header words are data, checked by a schema when loaded."""

from __future__ import annotations

import pytest
import yaml

from analytics.imports.vocabulary import VOCABULARY_PATH, VocabularyError, classify_header, load_vocabulary


@pytest.mark.parametrize("header, role", [("Tên đơn vị", "locality"), ("Tổng điểm", "value"),
                                          ("Xếp hạng", "official_rank"), ("STT", "ignore"), ("Xếp loại", "grade"),
                                          ("Năm", "year"), ("Nguồn", "source_url"), ("Điểm (tối đa 100)", "value"),
                                          ("Màu sắc", None)])
def test_headers_are_classified_from_the_vocabulary_file(header, role):
    assert classify_header(header) == role


def test_the_shipped_file_matches_its_schema():
    doc = load_vocabulary()
    assert "tendonvi" in doc["roles"]["locality"]


@pytest.mark.parametrize("change, where", [(lambda d: d["roles"].pop("year"), "roles"),
                                           (lambda d: d["level_words"].append({"level": "planet", "words": []}),
                                            "level_words/"),
                                           (lambda d: d.update(extra=[]), "(top)")])
def test_a_broken_vocabulary_fails_loudly_naming_the_place(tmp_path, change, where):
    doc = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "v.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(VocabularyError) as e:
        load_vocabulary(path)
    assert str(path) in str(e.value) and where in str(e.value)
