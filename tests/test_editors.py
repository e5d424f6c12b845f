"""Editors' accounts (analytics.editors) and `chiso editors add|remove|list`: argon2 hashes, the file, the
refusal of old schemes with the fix, passwords never taken from the command line."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import subprocess
import sys

import pytest
from argon2 import PasswordHasher

from analytics import editors
from analytics.cli import main
from analytics.paths import ROOT

PASSWORD = "đúng-mật-khẩu-2025"


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch):
    """argon2id with small costs: the same code path, fast tests (the cost parameters live in each hash)."""
    monkeypatch.setattr(editors, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def path(tmp_path, monkeypatch):
    p = tmp_path / "var" / "editors.json"
    monkeypatch.setenv("CHISO_EDITORS_FILE", str(p))
    return p


def test_add_verify_remove(path):
    acc = editors.add("Lan.Nguyen", PASSWORD)
    assert acc.name == "lan.nguyen" and acc.hash.startswith("$argon2id$")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    raw = path.read_text(encoding="utf-8")
    assert PASSWORD not in raw and json.loads(raw)["accounts"]["lan.nguyen"]["hash"] == acc.hash
    accounts = editors.load()
    assert editors.verify(accounts, "LAN.NGUYEN ", PASSWORD) == "lan.nguyen"
    assert editors.verify(accounts, "lan.nguyen", PASSWORD + "x") is None
    assert editors.verify(accounts, "lan.nguyen", "") is None
    assert editors.verify(accounts, "minh", PASSWORD) is None           # unknown account
    editors.add("minh", PASSWORD)
    second = editors.load()["minh"].hash
    assert second != acc.hash                                            # salted: same password, other hash
    with pytest.raises(editors.EditorsError, match="exists"):
        editors.add("minh", PASSWORD)
    editors.remove("Minh")
    assert set(editors.load()) == {"lan.nguyen"}
    with pytest.raises(editors.EditorsError, match="no account 'minh'"):
        editors.remove("minh")


@pytest.mark.parametrize("name", ["", " ", "-x", "a b", "x" * 65, "lan;rm"])
def test_bad_names_are_refused(path, name):
    with pytest.raises(editors.EditorsError, match="invalid account name"):
        editors.add(name, PASSWORD)
    assert not path.exists()


def test_short_password_refused(path):
    with pytest.raises(editors.EditorsError, match="at least 12"):
        editors.add("lan", "short")
    assert not path.exists()


@pytest.mark.parametrize("legacy", [
    hashlib.sha256(PASSWORD.encode()).hexdigest(),                     # unsalted SHA-256
    "pbkdf2_sha256$600000$c2FsdHNhbHRzYWx0$" + "A" * 43 + "=",
    "scrypt$32768$8$1$c2FsdA==$" + "A" * 43 + "=",
])
def test_old_schemes_never_sign_in_and_say_how_to_recreate(path, legacy):
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 1, "accounts": {"lan": {"hash": legacy, "created": ""}}}))
    accounts = editors.load()
    with pytest.raises(editors.LegacyHashError) as e:
        editors.verify(accounts, "lan", PASSWORD, where=str(path))
    assert "chiso editors remove lan && chiso editors add lan" in str(e.value) and str(path) in str(e.value)


def test_malformed_file_is_a_clear_error(path):
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    with pytest.raises(editors.EditorsError, match=str(path)):
        editors.load()
    path.write_text(json.dumps({"accounts": {"lan": {"created": "x"}}}))
    with pytest.raises(editors.EditorsError, match="'lan' has no 'hash'"):
        editors.load()


# ------------------------------------------------------------------------------------ the command
def run(capsys, monkeypatch, *argv, stdin: str | None = None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_add_list_remove(path, capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, "editors", "add", "lan", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0 and "added lan" in err
    prompts = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr(editors.getpass, "getpass", lambda prompt="": next(prompts))
    assert run(capsys, monkeypatch, "editors", "--file", str(path), "add", "minh")[0] == 0
    code, out, _ = run(capsys, monkeypatch, "editors", "list")
    assert code == 0 and out.splitlines()[0].startswith("lan\t") and out.splitlines()[1].startswith("minh\t")
    assert "$argon2" not in out and "argon2" in out
    assert editors.verify(editors.load(), "minh", PASSWORD) == "minh"
    assert run(capsys, monkeypatch, "editors", "remove", "lan")[0] == 0
    assert set(editors.load()) == {"minh"}


def test_cli_refusals_exit_2(path, capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, "editors", "add", "lan", "--password-stdin", stdin="short\n")
    assert code == 2 and "at least 12" in err
    differ = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr(editors.getpass, "getpass", lambda prompt="": next(differ))
    code, _, err = run(capsys, monkeypatch, "editors", "add", "lan")
    assert code == 2 and "differ" in err and not path.exists()
    code, _, err = run(capsys, monkeypatch, "editors", "remove", "nobody")
    assert code == 2 and "no account 'nobody'" in err
    with pytest.raises(SystemExit) as e:                  # no way to put the password on the command line
        main(["editors", "add", "lan", "--password", PASSWORD])
    assert e.value.code == 2


def test_cli_lists_old_scheme_accounts_with_the_fix(path, capsys, monkeypatch):
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"accounts": {"old": {"hash": "ab" * 32, "created": ""}}}))
    code, out, _ = run(capsys, monkeypatch, "editors", "list")
    assert code == 0 and "OLD SCHEME" in out and "chiso editors remove old && chiso editors add old" in out


def test_the_command_does_not_load_streamlit(path):
    code = ("import sys; from analytics.cli import main; rc = main(['editors', 'list']); "
            "sys.exit(3 if 'streamlit' in sys.modules else rc)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "CHISO_EDITORS_FILE": str(path)})
    assert proc.returncode == 0, proc.stderr
