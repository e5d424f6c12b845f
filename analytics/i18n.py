"""Every user-facing string of Chỉ số, in Vietnamese and English, from gettext catalogs.

    t("page.rankings.title", "vi")                      -> "Xếp hạng"
    t("label.derived_from", "en", n=3)                  -> "Derived from 3 former units"

The texts live in ``locales/<lang>/LC_MESSAGES/chiso.po`` (one catalog per language, English included), with
symbolic message ids: the keys below. A key with plural forms (``msgid_plural``) is chosen by gettext's
``ngettext`` with the keyword argument ``n``. Placeholders are ``str.format`` fields and are the same in both
languages (``scripts/i18n_catalogs.py check``, run by the tests, also finds keys missing from the catalogs
and keys no code uses). A missing key, language or placeholder raises ``KeyError``.

The app reads the compiled ``chiso.mo`` with the standard library. A ``.mo`` older than its ``.po`` (or
absent: the ``.mo`` files are not in git) is compiled with Babel on first use and written next to it
(measured: ~30 ms for both languages, Babel's import included, once per change of a catalog), so a cold
start loads both catalogs in ~1 ms.

Key prefixes: ``app.`` product chrome · ``page.<id>.`` page titles, help and intros · ``picker.`` widget
labels · ``level.`` / ``scope.`` / ``vintage.`` vocabularies · ``label.`` short labels on cards, tables
and charts · ``col.`` column headers of tables and downloads · ``chart.`` chart texts and alt text ·
``export.`` / ``download.`` export and download buttons · ``notice.`` boxes on pages ·
``error.`` refusals and errors · ``meta.`` header block of downloaded files · ``auth.`` sign-in.
"""

from __future__ import annotations

import gettext
import io
import os
import string
import tempfile
from functools import cache
from pathlib import Path

from analytics.paths import ROOT

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}
LOCALES_DIR = ROOT / "locales"
DOMAIN = "chiso"


class _Absent(gettext.NullTranslations):
    """Fallback of a catalog: a key it lacks is an error, not the key echoed back as text."""

    def gettext(self, message):
        raise LookupError(message)

    def ngettext(self, msgid1, msgid2, n):
        raise LookupError(msgid1)


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_po(po: Path) -> bytes:
    """The .mo bytes of a .po catalog."""
    # Babel is imported only when a catalog must be compiled, so a start with fresh .mo files skips it.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def _mo_bytes(lang: str) -> bytes:
    po = po_path(lang)
    mo = po.with_suffix(".mo")
    try:
        if mo.stat().st_mtime_ns >= po.stat().st_mtime_ns:
            return mo.read_bytes()
    except FileNotFoundError:
        pass
    data = compile_po(po)
    try:  # several app processes may compile at once: write a temporary file, then rename it in place
        with tempfile.NamedTemporaryFile(dir=mo.parent, prefix=".chiso-", suffix=".mo", delete=False) as fh:
            fh.write(data)
        os.chmod(fh.name, 0o644)
        os.replace(fh.name, mo)
    except OSError:  # a read-only install still works, compiling at each start
        pass
    return data


@cache
def catalog(lang: str) -> gettext.GNUTranslations:
    """The translations of ``lang`` (KeyError for a language Chỉ số does not have)."""
    if lang not in LANGS:
        raise KeyError(f"unsupported language {lang!r}")
    translations = gettext.GNUTranslations(io.BytesIO(_mo_bytes(lang)))
    translations.add_fallback(_Absent())
    return translations


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _count(n) -> int | None:
    """``n`` as a gettext count: an int, or a whole float (3.0); anything else takes the "other" form."""
    if isinstance(n, bool):
        return None
    if isinstance(n, int):
        return n
    if isinstance(n, float) and n.is_integer():
        return int(n)
    return None


def _template(key: str, lang: str, n) -> str:
    tr = catalog(lang)
    if n is not None:
        count = _count(n)
        try:  # "other" form (2) for a count gettext cannot take, as the old "_one only when n == 1" did
            return tr.ngettext(key, key, 2 if count is None else count)
        except LookupError:
            pass
    try:
        return tr.gettext(key)
    except LookupError:
        pass
    try:  # a plural key asked without n: its general form
        return tr.ngettext(key, key, 2)
    except LookupError:
        pass
    entry = STRINGS.get(key)
    if entry is None:
        raise KeyError(key)
    return entry[f"{lang}_one"] if n == 1 and f"{lang}_one" in entry else entry[lang]


def t(key: str, lang: str, **kwargs) -> str:
    """Return the string ``key`` in ``lang`` with ``kwargs`` filled in.

    Raises KeyError for an unknown key, an unknown language or a missing placeholder value.
    A key with plural forms is chosen by ``n`` (gettext's ngettext).
    """
    template = _template(key, lang, kwargs.get("n"))
    return template.format(**kwargs) if kwargs or _placeholders(template) else template


def has(key: str) -> bool:
    try:
        _template(key, DEFAULT_LANG, None)
    except KeyError:
        return False
    return True


def t_or(key: str, lang: str, default: str, **kwargs) -> str:
    """Like :func:`t` but return ``default`` for an unknown key (used for optional column headers)."""
    if not has(key):
        return default
    return t(key, lang, **kwargs)


def other_lang(lang: str) -> str:
    return "en" if lang == "vi" else "vi"


# Strings added while the catalogs were being introduced, in the old form {key: {"vi": ..., "en": ...,
# "en_one": ...}}; ``t`` looks here after the catalogs. Move them into the catalogs with
# ``python scripts/i18n_catalogs.py strings-to-po`` and leave this dict empty: with CHISO_STRICT_I18N=1 the
# tests fail while it holds anything. New strings go into the .po files directly.
STRINGS: dict[str, dict[str, str]] = {
}
