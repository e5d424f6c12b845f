"""Nhập dữ liệu / Import data — the editors' page (registered in the navigation only for editors).

It lives in ``app_pages/``, not ``pages/``: until ``st.navigation`` has run once in a server process,
Streamlit serves every ``pages/*.py`` file on its own (legacy multipage mode, the first request after a
start) and lists them in the menu. Outside ``pages/`` this page has no URL at all for a viewer. The check
in ``render()`` is a second lock all the same.

Upload a CSV/XLSX → preview and validation report (every problem with row, column and fix; every fuzzy
locality match listed for confirmation; a question per column of ambiguous numbers such as "1.997") →
commit in one transaction → the audit entry → history with a Revert button per import. Everything goes
through ``analytics.imports``; nothing is written before the editor presses the import button. File
names, cells and messages from the file are shown only in ``st.dataframe``/``st.text`` or escaped markdown.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import pandas as pd
import streamlit as st

from analytics import imports as importer
from analytics.fmt import fmt_number
from analytics.i18n import t
from analytics.imports import DEFAULT_LIMITS
from ui import auth, cache, page, page_text, state

log = logging.getLogger("chiso.ui.import")

TYPES = ["csv", "tsv", "txt", "xlsx"]
MAX_MB = max(1, DEFAULT_LIMITS.max_bytes // (1024 * 1024))
MEMO_SIZE = 3
HISTORY_BUTTONS = 30


# ------------------------------------------------------------------------------------ helpers
def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _when(d: Any) -> str:
    return f"{d:%Y-%m-%d %H:%M:%S} UTC" if d is not None and not pd.isna(d) else ""


def _after_write() -> None:
    """Make viewers see the new snapshot. The cached queries are keyed by the database file's version,
    so a new file already misses the cache; ``ui.cache.clear`` also frees the old entries."""
    cache.clear()


def _reset_upload() -> None:
    ss = st.session_state
    ss["imp_nonce"] = ss.get("imp_nonce", 0) + 1
    for k in [k for k in ss if str(k).startswith(("imp_ok_", "imp_sheet", "imp_amb_"))] + ["imp_memo", "imp_sha"]:
        ss.pop(k, None)


def _validate(data: bytes, name: str, sha: str, **opts: Any) -> importer.Preview:
    """validate_file, remembered per session for the same file, options and database version."""
    memo: dict = st.session_state.setdefault("imp_memo", {})
    key = (sha, cache.db_version(), tuple(sorted((k, repr(v)) for k, v in opts.items())))
    if key not in memo:
        while len(memo) >= MEMO_SIZE:
            memo.pop(next(iter(memo)))
        memo[key] = importer.validate_file(data, name, db_path=cache.db_path(), **opts)
    return memo[key]


def _issues_table(issues: list[importer.Issue], lg: str) -> pd.DataFrame:
    texts = [i.text(lg) for i in issues]   # (message, fix) in the page language
    rows = [{t("col.import_severity", lg): t(f"page.import.severity_{i.severity}", lg) if i.severity in
             ("error", "warning", "confirm") else i.severity,
             t("col.import_row", lg): i.row, t("col.import_column", lg): " ".join(
                p for p in (i.column or "", f"({i.column_name})" if i.column_name else "") if p) or None,
             t("col.import_value", lg): i.value, t("col.import_problem", lg): message,
             t("col.import_fix", lg): fix or None} for i, (message, fix) in zip(issues, texts, strict=True)]
    df = pd.DataFrame(rows, columns=[t(f"col.import_{c}", lg)
                                     for c in ("severity", "row", "column", "value", "problem", "fix")])
    df[t("col.import_row", lg)] = df[t("col.import_row", lg)].astype("Int64")
    return df


def _audit_table(rec: dict[str, Any], lg: str) -> pd.DataFrame:
    return pd.DataFrame([{
        t("col.import_who", lg): rec.get("actor"), t("col.import_when", lg): _when(rec.get("imported_at")),
        t("col.import_file", lg): rec.get("file_name"), t("col.import_sha256", lg): rec.get("sha256"),
        t("col.import_added", lg): rec.get("rows_added"), t("col.import_replaced", lg): rec.get("rows_replaced"),
        t("col.import_id", lg): rec.get("import_id"),
    }])


def _record(import_id: str | None) -> dict[str, Any] | None:
    if not import_id:
        return None
    for r in importer.list_imports(cache.db_path()):
        if r.import_id == import_id:
            return dict(r.__dict__)
    return None


# ------------------------------------------------------------------------------------ sections
def _flash(lg: str) -> None:
    """The outcome of the last commit or revert of this session (shown once, after the rerun)."""
    flash = st.session_state.pop("imp_flash", None)
    if not flash:
        return
    kind, data = flash
    if kind == "commit":
        if data.get("import_id") is None:
            st.info(t("page.import.nothing_to_do", lg, file=page_text.md(data["file_name"])), icon=":material/info:")
            return
        st.success(t("page.import.done", lg, id=data["import_id"], added=data["rows_added"],
                     replaced=data["rows_replaced"]), icon=":material/check_circle:")
        rec = _record(data["import_id"]) or data
        st.dataframe(_audit_table(rec, lg), hide_index=True, key="imp_audit")
    elif kind == "revert":
        st.success(t("page.import.reverted", lg, id=data["import_id"], removed=data["rows_removed"],
                     restored=data["rows_restored"]), icon=":material/undo:")


def _options(lg: str) -> dict[str, Any]:
    cat = cache.catalog()
    reg = cache.registry()
    with st.expander(t("page.import.options", lg), icon=":material/tune:"):
        st.caption(t("page.import.options_help", lg))
        c1, c2, c3 = st.columns(3)
        ids = [""] + [i.id for i in cat.roots()]
        indicator = c1.selectbox(t("page.import.indicator", lg), ids, key="imp_indicator",
                                 format_func=lambda i: t("page.import.auto", lg) if not i else
                                 f"{i} · {cat.get(i).label(lg, short=True)}")
        year = c2.number_input(t("page.import.year", lg), min_value=2000, max_value=2100, value=None, step=1,
                               key="imp_year", placeholder=t("page.import.auto", lg))
        provs = [""] + state.sort_units([u.unit_id for u in reg.units(level="province", vintage="legacy")])
        labels = state.unit_labels(provs[1:])
        within = c3.selectbox(t("page.import.within", lg), provs, key="imp_within",
                              format_func=lambda u: t("page.import.auto", lg) if not u else labels.get(u, u),
                              help=t("page.import.within_help", lg))
        source_url = st.text_input(t("page.import.source_url", lg), key="imp_source", max_chars=1000,
                                   help=t("page.import.source_url_help", lg))
        replace = st.checkbox(t("page.import.replace", lg), key="imp_replace",
                              help=t("page.import.replace_help", lg))
    return {"indicator": indicator or None, "year": int(year) if year is not None else None,
            "within": within or None, "source_url": source_url.strip() or None, "replace": bool(replace)}


def _upload(lg: str) -> None:
    nonce = st.session_state.get("imp_nonce", 0)
    up = st.file_uploader(t("page.import.file", lg), type=TYPES, key=f"imp_file_{nonce}", max_upload_size=MAX_MB,
                          help=t("page.import.file_help", lg))
    st.caption(t("page.import.limits", lg, mb=MAX_MB, rows=fmt_number(DEFAULT_LIMITS.max_rows, lg, decimals=0),
                 cols=DEFAULT_LIMITS.max_cols))
    sheet_slot = st.container()
    opts = _options(lg)
    if up is None:
        return
    if up.size > DEFAULT_LIMITS.max_bytes:
        st.error(t("page.import.too_big", lg, mb=MAX_MB), icon=":material/block:")
        return
    data = up.getvalue()
    name = up.name
    sha = hashlib.sha256(data).hexdigest()
    if st.session_state.get("imp_sha") != sha:       # another file: forget the sheet and the confirmations
        for k in [k for k in st.session_state
                  if str(k).startswith(("imp_ok_", "imp_sheet", "imp_map_", "imp_accept", "imp_amb_"))]:
            st.session_state.pop(k, None)
        st.session_state["imp_sha"] = sha
    sheet = st.session_state.get("imp_sheet") or None
    opts["accept_warnings"] = bool(st.session_state.get("imp_accept"))
    opts["mapping"] = _mapping_choice()
    opts["ambiguous"] = dict(sorted((str(k)[8:], v) for k, v in st.session_state.items()
                                    if str(k).startswith("imp_amb_") and v in ("thousands", "decimal")))
    with st.spinner(t("page.import.checking", lg)):
        base = _validate(data, name, sha, sheet=sheet, confirmed=None, **opts)
    if base.format == "xlsx" and len(base.sheets) > 1:
        sheet_slot.selectbox(t("page.import.sheet", lg), base.sheets, key="imp_sheet",
                             index=base.sheets.index(base.sheet) if base.sheet in base.sheets else 0,
                             help=t("page.import.sheet_help", lg))

    # fuzzy name matches: the editor confirms each one
    confirmed: dict[str, str] = {}
    pending = base.pending_confirmations
    if pending:
        st.subheader(t("page.import.confirm_names", lg), anchor=False)
        st.caption(t("page.import.confirm_help", lg))
        for r in pending:
            rows = ", ".join(str(x) for x in r.rows[:10]) + ("…" if len(r.rows) > 10 else "")
            label = t("page.import.confirm_one", lg, name=page_text.md(r.name), unit=page_text.md(r.unit_name or r.unit_id),
                      unit_id=page_text.md(r.unit_id), rows=rows)
            if st.checkbox(label, key=f"imp_ok_{_digest(r.name)}") and r.unit_id:
                confirmed[r.name] = r.unit_id
    if base.ambiguous_cells:
        _ambiguous_form(base.ambiguous_cells, lg)
    if base.first_row and (opts["mapping"] or {c.code for c in base.errors} & MAPPING_CODES):
        _mapping_form(base.first_row, lg)
    preview = _validate(data, name, sha, sheet=sheet, confirmed=confirmed, **opts) if confirmed else base
    _report(preview, lg)
    if preview.checks:   # plausibility warnings: imported only once the editor says they were checked
        st.checkbox(t("page.import.accept_warnings", lg), key="imp_accept")

    c = preview.counts
    to_write = c["new"] + c["replace"]
    if preview.ok and to_write == 0:
        st.info(t("page.import.nothing_to_do", lg, file=page_text.md(preview.file_name)), icon=":material/info:")
    elif not preview.errors and preview.pending_confirmations:
        st.info(t("page.import.confirm_first", lg, n=len(preview.pending_confirmations)), icon=":material/help:")
    if st.button(t("page.import.commit", lg, n=to_write), key="imp_commit", type="primary",
                 disabled=not (preview.ok and to_write > 0), icon=":material/upload:"):
        _commit(preview, opts["replace"], lg)


MAPPING_CODES = {"no_header", "missing_column", "unknown_column", "map_headers_missing"}
MAPPED_ROLES = ("locality", "year", "value", "official_rank", "source_url")


def _mapping_choice() -> dict[str, str] | None:
    """The column mapping chosen in the form below (None until a locality column is chosen)."""
    chosen = {r: st.session_state.get(f"imp_map_{r}") for r in MAPPED_ROLES}
    chosen = {r: h for r, h in chosen.items() if h}
    return chosen if "locality" in chosen else None


def _mapping_form(headers: list[str], lg: str) -> None:
    """Unfamiliar headers: the editor says which column holds what (remembered on import)."""
    options = [""] + [h for h in dict.fromkeys(headers) if h]
    with st.expander(t("page.import.mapping", lg), expanded=True, icon=":material/table_chart:"):
        st.caption(t("page.import.mapping_help", lg))
        cols = st.columns(len(MAPPED_ROLES))
        for col, role in zip(cols, MAPPED_ROLES, strict=True):
            col.selectbox(t(f"page.import.role_{role}", lg), options, key=f"imp_map_{role}",
                          format_func=lambda h: h or t("page.import.mapping_none", lg))


def _ambiguous_form(cells: list[importer.AmbiguousCell], lg: str) -> None:
    """Cells like "1.997" that the scale and the previous edition do not decide: the editor says, per
    column, whether the separator groups thousands or marks the decimals (nothing is imported before)."""
    st.subheader(t("page.import.ambiguous", lg), anchor=False)
    st.caption(t("page.import.ambiguous_help", lg))
    by_col: dict[str, list[importer.AmbiguousCell]] = {}
    for c in cells:
        by_col.setdefault(c.column, []).append(c)
    for col, group in by_col.items():
        first = group[0]
        readings = {"thousands": t("page.import.reading_thousands", lg, cell=first.cell,
                                   number=f"{first.thousands:.0f}"),
                    "decimal": t("page.import.reading_decimal", lg, cell=first.cell,
                                 number=fmt_number(first.decimal, lg, decimals=3, grouping=False))}
        name = f" ({first.column_name})" if first.column_name else ""
        st.radio(t("page.import.ambiguous_column", lg, column=page_text.md(col + name), n=len(group)),
                 list(readings), index=None, key=f"imp_amb_{col}", format_func=readings.get, horizontal=True)
        st.dataframe(pd.DataFrame([{
            t("col.import_row", lg): c.row, t("col.import_in_file", lg): c.locality, t("col.import_value", lg): c.cell,
            t("col.import_as_thousands", lg): c.thousands, t("col.import_as_decimal", lg): c.decimal,
        } for c in group]), hide_index=True, key=f"imp_cells_{col}")


def _report(preview: importer.Preview, lg: str) -> None:
    st.subheader(t("page.import.preview", lg), anchor=False)
    facts = [(t("page.import.f_file", lg), preview.file_name), (t("page.import.f_sha", lg), preview.sha256),
             (t("page.import.f_format", lg), " · ".join(str(x) for x in (preview.format, preview.layout,
                                                                          preview.encoding) if x)),
             (t("page.import.f_sheet", lg), preview.sheet),
             (t("page.import.f_header", lg), preview.header_row),
             (t("page.import.f_table", lg), " · ".join(str(x) for x in (preview.indicator, preview.year) if x))]
    st.dataframe(pd.DataFrame([(k, "" if v is None else str(v)) for k, v in facts if v not in (None, "")],
                              columns=[t("col.import_field", lg), t("col.import_value", lg)]),
                 hide_index=True, key="imp_facts")
    c = preview.counts
    m = st.columns(4)
    m[0].metric(t("page.import.m_rows", lg), c["rows"])
    m[1].metric(t("page.import.m_new", lg), c["new"])
    m[2].metric(t("page.import.m_replace", lg), c["replace"])
    m[3].metric(t("page.import.m_unchanged", lg), c["unchanged"])

    blocking = [i for i in preview.blocking_issues() if i.severity == "error"]
    if blocking:
        st.error(t("page.import.n_errors", lg, n=len(blocking)), icon=":material/error:")
        st.dataframe(_issues_table(blocking, lg), hide_index=True, key="imp_errors")
    else:
        st.success(t("page.import.valid", lg), icon=":material/task_alt:")
    if preview.checks:
        st.warning(t("page.import.n_checks", lg, n=len(preview.checks)), icon=":material/warning:")
        st.dataframe(_issues_table(preview.checks, lg), hide_index=True, key="imp_checks")
    if preview.warnings:
        st.warning(t("page.import.n_warnings", lg, n=len(preview.warnings)), icon=":material/warning:")
        st.dataframe(_issues_table(preview.warnings, lg), hide_index=True, key="imp_warnings")
    if preview.resolutions:
        with st.expander(t("page.import.names", lg, n=len(preview.resolutions)), icon=":material/place:"):
            st.dataframe(pd.DataFrame([{
                t("col.import_in_file", lg): r.name, t("col.import_unit", lg): r.unit_name,
                t("col.import_unit_id", lg): r.unit_id, t("col.import_method", lg): r.method,
                t("col.import_rows", lg): ", ".join(str(x) for x in r.rows[:20]) + ("…" if len(r.rows) > 20 else ""),
            } for r in preview.resolutions]), hide_index=True, key="imp_names")
    if preview.rows:
        st.dataframe(preview.frame(), hide_index=True, key="imp_rows",
                     column_config={"source_url": st.column_config.TextColumn()})


def _commit(preview: importer.Preview, replace: bool, lg: str) -> None:
    who = auth.actor()
    if who is None:           # signed out in another tab, session expired
        st.error(t("auth.editors_only", lg), icon=":material/lock:")
        return
    try:
        with st.spinner(t("page.import.committing", lg)):
            report = importer.commit_import(preview, db_path=cache.db_path(), replace=replace, actor=who)
    except importer.ImportValidationError as e:
        st.error(t("page.import.commit_refused", lg), icon=":material/error:")
        st.dataframe(_issues_table(e.issues, lg), hide_index=True, key="imp_commit_errors")
        return
    except Exception:
        log.exception("import failed")
        st.error(t("page.import.commit_failed", lg), icon=":material/error:")
        return
    _after_write()
    st.session_state["imp_flash"] = ("commit", {
        "import_id": report.import_id, "file_name": report.file_name, "sha256": report.sha256, "actor": who,
        "rows_added": report.rows_added, "rows_replaced": report.rows_replaced})
    _reset_upload()
    st.rerun()


def _ask_revert(import_id: str | None) -> None:
    st.session_state["imp_revert_ask"] = import_id


def _revert(import_id: str, lg: str) -> None:
    who = auth.actor()
    st.session_state.pop("imp_revert_ask", None)
    if who is None:
        st.error(t("auth.editors_only", lg), icon=":material/lock:")
        return
    try:
        with st.spinner(t("page.import.reverting", lg)):
            rep = importer.revert_import(import_id, db_path=cache.db_path(), actor=who)
    except importer.ImportValidationError as e:
        st.error(t("page.import.revert_refused", lg, reason=page_text.md(e.text(lg))), icon=":material/error:")
        return
    except Exception:
        log.exception("revert failed")
        st.error(t("page.import.commit_failed", lg), icon=":material/error:")
        return
    _after_write()
    st.session_state.pop("imp_memo", None)
    st.session_state["imp_flash"] = ("revert", {"import_id": rep.import_id, "rows_removed": rep.rows_removed,
                                                "rows_restored": rep.rows_restored})
    st.rerun()


def _history(lg: str) -> None:
    st.subheader(t("page.import.history", lg), anchor=False)
    records = list(reversed(importer.list_imports(cache.db_path())))     # newest first
    if not records:
        st.caption(t("page.import.no_history", lg))
        return
    status = {s: t(f"page.import.status_{s}", lg) for s in ("committed", "reverted", "pending", "abandoned")}
    st.dataframe(pd.DataFrame([{
        t("col.import_when", lg): _when(r.imported_at), t("col.import_who", lg): r.actor,
        t("col.import_file", lg): r.file_name, t("col.import_added", lg): r.rows_added,
        t("col.import_replaced", lg): r.rows_replaced, t("col.import_status", lg): status.get(r.status, r.status),
        t("col.import_reverted", lg): " · ".join(x for x in (_when(r.reverted_at), r.reverted_by or "") if x) or None,
        t("col.import_sha256", lg): r.sha256, t("col.import_id", lg): r.import_id,
    } for r in records]), hide_index=True, key="imp_history")

    committed = [r for r in records if r.status == "committed"][:HISTORY_BUTTONS]
    if not committed:
        return
    st.caption(t("page.import.revert_help", lg))
    ask = st.session_state.get("imp_revert_ask")
    for r in committed:
        c1, c2 = st.columns([6, 1], vertical_alignment="center")
        c1.text(f"{_when(r.imported_at)} · {r.file_name} · {r.actor} · +{r.rows_added} / ↺{r.rows_replaced} · "
                f"{r.import_id}")
        c2.button(t("page.import.revert", lg), key=f"imp_revert_{r.import_id}", icon=":material/undo:",
                  on_click=_ask_revert, args=(r.import_id,))
        if ask == r.import_id:
            st.warning(t("page.import.revert_confirm", lg, id=r.import_id, added=r.rows_added,
                         replaced=r.rows_replaced), icon=":material/undo:")
            y, n, _ = st.columns([2, 2, 6])
            if y.button(t("page.import.revert_yes", lg), key="imp_revert_yes", type="primary"):
                _revert(r.import_id, lg)
            n.button(t("page.import.revert_no", lg), key="imp_revert_no", on_click=_ask_revert, args=(None,))


# ------------------------------------------------------------------------------------ page
def render() -> None:
    lg = state.lang()
    if not auth.is_editor():        # never reached through the navigation; a second lock all the same
        st.warning(t("auth.editors_only", lg), icon=":material/lock:")
        return
    st.markdown(t("page.import.intro", lg))
    _flash(lg)
    _upload(lg)
    st.divider()
    _history(lg)


page.run_page(render)
