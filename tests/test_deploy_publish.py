"""Snapshot publication and the nginx configuration of deploy/, without starting anything."""

from __future__ import annotations

import re

import pytest

from deploy import nginx, static
from deploy.publish import publish_snapshot


def test_publish_replaces_a_file_atomically(tmp_path):
    src, target = tmp_path / "new.duckdb", tmp_path / "replica" / "chiso.duckdb"
    target.parent.mkdir()
    src.write_bytes(b"new snapshot")
    target.write_bytes(b"old snapshot")
    with open(target, "rb") as reader:                        # a replica's open file keeps its content
        assert publish_snapshot(src, [target, src]) == [target]
        assert reader.read() == b"old snapshot"
    assert target.read_bytes() == b"new snapshot"
    assert sorted(p.name for p in target.parent.iterdir()) == ["chiso.duckdb"]   # no temporary file left
    with pytest.raises(FileNotFoundError, match="no snapshot"):
        publish_snapshot(tmp_path / "missing.duckdb", [target])


@pytest.mark.parametrize("compressed", ["gzip", "brotli"])
def test_the_generated_nginx_configuration_is_valid(tmp_path, compressed):
    try:
        nginx.nginx_binary()
    except nginx.NginxMissing as e:
        pytest.skip(str(e))
    assets = tmp_path / "assets"                     # a copy of Streamlit's assets as deploy.static makes it
    (assets / "static").mkdir(parents=True)
    (assets / "complete").write_text(compressed + "\n")
    conf = nginx.write_config(["127.0.0.1:8501", "127.0.0.1:8502"], "127.0.0.1:8080", tmp_path / "state", assets)
    text = conf.read_text()                          # write_config ran `nginx -t` on it
    assert "server 127.0.0.1:8501" in text and "server 127.0.0.1:8502" in text
    assert re.search(r"@[A-Z_]+@", text) is None              # every placeholder filled
    assert f"root {assets};" in text and "gzip_static on;" in text
    assert ("brotli_static on;" in text) == (compressed == "brotli" and static.brotli_module() is not None)


def test_no_replica_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="at least one replica"):
        nginx.render([], "8080", tmp_path, tmp_path)
