"""Pure figure layer of Chỉ số (no Streamlit): chart builders, press export and table downloads.

- :mod:`figures.style` — palette, fonts, sizes, the in-figure frame (title, subtitle, source, footer)
- :mod:`figures.charts` — the chart builders in one namespace (from bars, trends, strips, chart_parts):
  ranking_bar, trend_lines, small_multiples, component_bars,
  benchmark_strip / beeswarm, add_comparators
- :mod:`figures.maps` — choropleth and points_map (from map_parts, map_classes, map_islands, point_maps),
  offline_html
- :mod:`figures.export` — to_png / to_svg for the "wide" and "square" press presets (kaleido)
- :mod:`figures.tables` — neutralise, header block, analyst_table, download_name, display_table
- :mod:`figures.downloads` — to_csv_bytes (loads with read_csv defaults), to_csv_zip_bytes (+ README, CSVW), to_xlsx_bytes
"""

__all__ = ["charts", "downloads", "export", "maps", "style", "tables"]
