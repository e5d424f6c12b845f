"""The gettext catalogs on disk (``locales/<lang>/LC_MESSAGES/chiso.po``): read, write, compile, and the
keys with their texts in every language."""

from __future__ import annotations

import io
import string
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
DOMAIN = "chiso"
LANGS = ("vi", "en")


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="Chỉ số", fuzzy=False)
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def save(catalog: Catalog, lang: str) -> None:
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=0, no_location=True, omit_header=False)
    path.write_bytes(buf.getvalue())


def compile_catalog(lang: str) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, load(lang))
    return buf.getvalue()


def key_of(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def texts(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def catalog_keys(catalogs: dict[str, Catalog]) -> dict[str, dict[str, list[str]]]:
    """{key: {lang: [text, ...]}} with every form (singular, plural) of every language."""
    out: dict[str, dict[str, list[str]]] = {}
    for lang, cat in catalogs.items():
        for message in cat:
            if message.id:
                out.setdefault(key_of(message), {})[lang] = texts(message)
    return out
