"""Pure figure layer of Chỉ số (no Streamlit): chart builders, press export and table downloads.

- :mod:`figures.style` — palette, fonts, sizes, the in-figure frame (title, subtitle, source, footer)
- :mod:`figures.charts` — plotly builders: ranking_bar, trend_lines, small_multiples, component_bars,
  benchmark_strip / beeswarm, add_comparators
- :mod:`figures.export` — to_png / to_svg for the "wide" and "square" press presets (kaleido)
- :mod:`figures.tables` — to_csv_bytes / to_xlsx_bytes, neutralise, download_name, display_table
"""

__all__ = ["charts", "export", "style", "tables"]
