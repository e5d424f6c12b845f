"""The parts of scripts/i18n_catalogs.py: the .po files (``po_files``), where the code names keys
(``key_usage``), the comparison of both (``check``), and the ``STRINGS`` tables appended to the catalogs
(``strings_table``)."""
