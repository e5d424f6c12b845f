"""Editors' accounts for password sign-in: one account per editor, argon2id hashes (argon2-cffi).

The accounts live in a JSON file (default ``var/editors.json``; ``$CHISO_EDITORS_FILE`` or
``[editors] accounts_file`` in the app's secrets name another), written atomically and readable by the
owner only. ``chiso editors add|remove|list`` manages it; the password is typed at a prompt without echo,
or read from standard input with ``--password-stdin`` — never from the command line, where other users of
the machine can read it.

Only argon2 hashes are accepted. An account stored under an older scheme (unsalted SHA-256, PBKDF2,
scrypt) never signs in: ``LegacyHashError`` tells the administrator to re-create it.

Pure Python (no Streamlit): the command line imports it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import getpass
import json
import os
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from analytics.paths import VAR_DIR

HASHER = PasswordHasher()          # argon2id with the library's RFC 9106 defaults
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 256
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
FILE_VERSION = 1
RECREATE = "chiso editors remove {name} && chiso editors add {name}"


class EditorsError(Exception):
    """Bad input or a bad accounts file: a message for the administrator, exit status 2 on the CLI."""


class LegacyHashError(EditorsError):
    """A stored hash in a scheme that is no longer accepted."""


@dataclass(frozen=True)
class Account:
    name: str
    hash: str
    created: str


def default_path() -> Path:
    env = os.environ.get("CHISO_EDITORS_FILE")
    return Path(env) if env else VAR_DIR / "editors.json"


def normalise_name(name: str) -> str:
    """Account names compare case-insensitively (NFKC, trimmed, lower case)."""
    return unicodedata.normalize("NFKC", str(name or "")).strip().lower()


def check_name(name: str) -> str:
    n = normalise_name(name)
    if not NAME_RE.match(n):
        raise EditorsError(f"invalid account name {name!r}: use 1–64 of a-z 0-9 . _ @ - "
                           "(e.g. lan.nguyen or lan@sonoivu.gov.vn), starting with a letter or digit")
    return n


def is_argon2(stored: str) -> bool:
    return str(stored or "").startswith("$argon2")


def legacy_message(where: str, name: str | None = None) -> str:
    """What the administrator must do about a hash in an old scheme."""
    if name:
        return (f"the account {name!r} in {where} has a password hash in an old scheme that is no longer "
                f"accepted (only argon2). Re-create it: {RECREATE.format(name=name)}")
    return (f"{where} holds a shared editor password hash (password_hash / password_sha256), which is no "
            "longer accepted. Remove it and create one account per editor: chiso editors add NAME "
            "(see docs/EDITORS.md)")


# ------------------------------------------------------------------------------------ the file
def load(path: Path | None = None) -> dict[str, Account]:
    """The accounts in the file ({} when it does not exist). A malformed file raises EditorsError.

    Read again only when the file changes (the app asks on every page run of every session)."""
    path = Path(path or default_path())
    try:
        st = path.stat()
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise EditorsError(f"{path}: not a readable editors file ({e})") from e
    return dict(_load(str(path), st.st_mtime_ns, st.st_size, st.st_ino))


@functools.lru_cache(maxsize=8)
def _load(path_text: str, mtime_ns: int, size: int, inode: int) -> dict[str, Account]:
    path = Path(path_text)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        raise EditorsError(f"{path}: not a readable editors file ({e})") from e
    accounts = raw.get("accounts") if isinstance(raw, dict) else None
    if not isinstance(accounts, dict):
        raise EditorsError(f"{path}: no 'accounts' object; re-create the file with chiso editors add")
    out: dict[str, Account] = {}
    for name, rec in accounts.items():
        if not isinstance(rec, dict) or not isinstance(rec.get("hash"), str):
            raise EditorsError(f"{path}: account {name!r} has no 'hash' string")
        n = normalise_name(name)
        out[n] = Account(n, rec["hash"], str(rec.get("created", "")))
    return out


def save(accounts: dict[str, Account], path: Path | None = None) -> None:
    """Write the file atomically (a reader never sees half a file), owner-only permissions."""
    path = Path(path or default_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"version": FILE_VERSION, "accounts": {
        a.name: {"hash": a.hash, "created": a.created} for a in sorted(accounts.values(), key=lambda a: a.name)}}
    fd, tmp = tempfile.mkstemp(prefix=".editors-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(body, f, ensure_ascii=False, indent=1)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise EditorsError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise EditorsError(f"the password must have at most {MAX_PASSWORD_CHARS} characters")


def add(name: str, password: str, path: Path | None = None, *, replace: bool = False) -> Account:
    n = check_name(name)
    check_password_policy(password)
    accounts = load(path)
    if n in accounts and not replace:
        raise EditorsError(f"the account {n!r} exists; remove it first (chiso editors remove {n})")
    acc = Account(n, HASHER.hash(password), datetime.now(UTC).isoformat(timespec="seconds"))
    accounts[n] = acc
    save(accounts, path)
    return acc


def remove(name: str, path: Path | None = None) -> None:
    n = normalise_name(name)
    accounts = load(path)
    if n not in accounts:
        raise EditorsError(f"no account {n!r} in {Path(path or default_path())}")
    del accounts[n]
    save(accounts, path)


# ------------------------------------------------------------------------------------ checking
@functools.cache
def _dummy_hash(hasher_id: int) -> str:
    """A hash of a random password with the current parameters: an unknown account costs the same argon2
    work as a known one, so the time of a refusal does not tell which account names exist."""
    return HASHER.hash(os.urandom(16).hex())


def verify(accounts: dict[str, Account], name: str, password: str, *, where: str = "the editors file") -> str | None:
    """The normalised account name when ``password`` is right for it, else None.

    Raises LegacyHashError for an account stored in an old scheme (it can never sign in)."""
    n = normalise_name(name)
    acc = accounts.get(n)
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_CHARS:
        return None
    if acc is None:
        with contextlib.suppress(VerificationError, InvalidHashError):
            HASHER.verify(_dummy_hash(id(HASHER)), password)
        return None
    if not is_argon2(acc.hash):
        raise LegacyHashError(legacy_message(where, n))
    try:
        return n if HASHER.verify(acc.hash, password) else None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None


# ------------------------------------------------------------------------------------ CLI
def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    pw = getpass.getpass("Password for the new account: ")
    if getpass.getpass("Again: ") != pw:
        raise EditorsError("the two passwords differ")
    return pw


def main(argv: list[str] | None = None) -> int:
    """``chiso editors add NAME [--password-stdin] | remove NAME | list`` (``--file PATH`` for another file)."""
    p = argparse.ArgumentParser(prog="chiso editors", description="editors' accounts for password sign-in")
    p.add_argument("--file", type=Path, default=None, help="accounts file (default: $CHISO_EDITORS_FILE or "
                                                            "var/editors.json)")
    sub = p.add_subparsers(dest="action", required=True)
    a = sub.add_parser("add", help="create an account (asks for the password twice, without echo)")
    a.add_argument("name")
    a.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    r = sub.add_parser("remove", help="delete an account")
    r.add_argument("name")
    sub.add_parser("list", help="account names, creation dates and whether each hash is accepted")
    args = p.parse_args(argv)
    path = args.file or default_path()
    try:
        if args.action == "add":
            acc = add(args.name, _read_password(args.password_stdin), path)
            print(f"added {acc.name} to {path}", file=sys.stderr)
        elif args.action == "remove":
            remove(args.name, path)
            print(f"removed {normalise_name(args.name)} from {path}", file=sys.stderr)
        else:
            for acc in load(path).values():
                state = "argon2" if is_argon2(acc.hash) else f"OLD SCHEME, re-create: {RECREATE.format(name=acc.name)}"
                print(f"{acc.name}\t{acc.created}\t{state}")
    except EditorsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0
