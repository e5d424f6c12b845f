"""python -m benchmarks [--scale small|national]: see benchmarks.report."""

from __future__ import annotations

import argparse
import sys

from benchmarks.quiet import quiet_streamlit_logs

quiet_streamlit_logs()
from benchmarks.report import main  # noqa: E402 - after the log level is set: Streamlit logs while importing ui


def cli(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--scale", choices=["small", "national"], default="small")
    return main(p.parse_args(argv).scale)


if __name__ == "__main__":
    sys.exit(cli())
