"""Support code of the test suite (also used by the benchmark)."""
