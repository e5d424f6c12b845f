"""Performance tools for Chỉ số, kept outside the product packages (they drive a real server, Streamlit's
wire protocol, Chromium and nginx): the benchmark (`python -m benchmarks`, also `chiso bench`), the load
test (`python -m benchmarks.load`). Not to be confused with `analytics.benchmarks`, the national
comparators (mean, median, best) shown on the pages."""
