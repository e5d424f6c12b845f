"""The one-page brief for the press and for meetings: one locality, one indicator, one year, as a PDF
(A4 portrait) and a PNG (1080×1350), rendered offline by the system Chromium.

    content = Brief(lang="vi", locality="Bình Dương", indicator="PAR INDEX", year=2020, ...)
    pdf, png = render(content)

The page is plain HTML written here from the content (every text escaped; charts embedded as SVG
images made by kaleido from the same plotly figures the pages show), printed by ``chromium --headless``:
no network, no third-party fonts (Noto Sans from Debian's fonts-noto-core).
"""

from __future__ import annotations

import base64
import html
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import plotly.graph_objects as go

from .export import to_image_at
from .tables import slugify as slug

PNG_SIZE = (1080, 1350)
CHART_SIZE = {"map": (520, 560), "trend": (640, 360)}
TIMEOUT_S = 60


class BriefError(RuntimeError):
    """The brief could not be rendered (no Chromium, or Chromium failed): the message says which."""


@dataclass
class Card:
    label: str
    value: str
    note: str = ""


@dataclass
class Brief:
    lang: str
    product: str                       # "Chỉ số"
    title: str                         # "Bình Dương · PAR INDEX 2020"
    subtitle: str                      # indicator's full name and publisher
    cards: list[Card] = field(default_factory=list)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)   # (heading, sentences)
    charts: list[tuple[str, str, go.Figure]] = field(default_factory=list)  # (kind, caption, figure)
    sources: list[str] = field(default_factory=list)
    date: str = ""
    locality: str = ""
    indicator: str = ""
    year: int | None = None
    labels: dict[str, str] = field(default_factory=dict)   # "sources", "made_with"


def file_name(brief: Brief, ext: str) -> str:
    """``brief_binh-duong_par-index_2020_vi.pdf``: locality, indicator, year and language, ASCII."""
    return f"brief_{slug(brief.locality)}_{slug(brief.indicator)}_{brief.year}_{brief.lang}.{ext}"


def _chart_img(kind: str, fig: go.Figure) -> str:
    w, h = CHART_SIZE.get(kind, CHART_SIZE["trend"])
    svg = to_image_at(fig, "svg", w, h)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


_CSS = """
@page { size: A4 portrait; margin: 11mm 12mm; }
* { box-sizing: border-box; }
body { font-family: 'Noto Sans', 'DejaVu Sans', sans-serif; color: #1b1b1b; margin: 0; font-size: 10.5pt;
       line-height: 1.35; }
.page { width: 100%; }
.png .page { width: 1080px; height: 1350px; padding: 34px 40px; overflow: hidden; font-size: 17px; }
header { border-bottom: 3px solid #b71c1c; padding-bottom: 6px; margin-bottom: 10px; }
.product { color: #b71c1c; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; font-size: .8em; }
h1 { font-size: 1.75em; margin: 2px 0 2px; }
.subtitle { color: #555; font-size: .9em; }
.cards { display: flex; gap: 10px; margin: 8px 0 10px; }
.card { flex: 1; border: 1px solid #ddd; border-radius: 6px; padding: 6px 10px; }
.card .label { color: #555; font-size: .78em; }
.card .value { font-size: 1.6em; font-weight: 700; }
.card .note { color: #555; font-size: .75em; }
.charts { display: flex; gap: 10px; align-items: flex-start; }
.charts figure { margin: 0; flex: 1; }
.charts img { width: 100%; height: auto; display: block; }
.charts figcaption { font-size: .75em; color: #555; }
h2 { font-size: 1.02em; margin: 9px 0 3px; color: #b71c1c; }
ul { margin: 0; padding-left: 1.1em; }
li { margin: 1px 0; }
footer { margin-top: 8px; border-top: 1px solid #ddd; padding-top: 4px; font-size: .72em; color: #555; }
"""


def to_html(brief: Brief, mode: str = "pdf") -> str:
    """The brief as one self-contained HTML document (``mode``: ``pdf`` for A4, ``png`` for 1080×1350)."""
    e = html.escape
    cards = "".join(f'<div class="card"><div class="label">{e(c.label)}</div><div class="value">{e(c.value)}'
                    f'</div><div class="note">{e(c.note)}</div></div>' for c in brief.cards)
    charts = "".join(f'<figure><img alt="{e(cap)}" src="{_chart_img(kind, fig)}"><figcaption>{e(cap)}'
                     f'</figcaption></figure>' for kind, cap, fig in brief.charts)
    sections = "".join(f"<h2>{e(head)}</h2><ul>{''.join(f'<li>{e(s)}</li>' for s in lines)}</ul>"
                       for head, lines in brief.sections if lines)
    sources = "; ".join(e(s) for s in brief.sources)
    return (f'<!doctype html><html lang="{e(brief.lang)}"><head><meta charset="utf-8"><title>{e(brief.title)}'
            f'</title><style>{_CSS}</style></head><body class="{e(mode)}"><div class="page"><header>'
            f'<div class="product">{e(brief.product)}</div><h1>{e(brief.title)}</h1>'
            f'<div class="subtitle">{e(brief.subtitle)}</div></header><div class="cards">{cards}</div>'
            f'<div class="charts">{charts}</div>{sections}<footer>{e(brief.labels.get("sources", ""))}: '
            f'{sources}<br>{e(brief.product)} · {e(brief.date)}</footer></div></body></html>')


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise BriefError("Chromium is not installed (Debian: apt-get install chromium fonts-noto-core)")


def _chromium(args: list[str], page: Path) -> None:
    cmd = [chromium_path(), "--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
           "--disable-extensions", "--allow-file-access-from-files", *args, page.as_uri()]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.insert(1, "--no-sandbox")   # Chromium refuses to run as root with its sandbox
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BriefError(f"Chromium did not finish the brief within {TIMEOUT_S} s") from exc
    if done.returncode != 0:
        raise BriefError(f"Chromium failed ({done.returncode}): {done.stderr.strip()[-300:]}")


def render(brief: Brief) -> tuple[bytes, bytes]:
    """(PDF bytes, PNG bytes) of the brief."""
    with tempfile.TemporaryDirectory(prefix="chiso-brief-") as tmp:
        folder = Path(tmp)
        pdf_page, png_page = folder / "brief_pdf.html", folder / "brief_png.html"
        pdf_page.write_text(to_html(brief, "pdf"), encoding="utf-8")
        png_page.write_text(to_html(brief, "png"), encoding="utf-8")
        pdf, png = folder / "brief.pdf", folder / "brief.png"
        _chromium([f"--print-to-pdf={pdf}", "--no-pdf-header-footer"], pdf_page)
        _chromium([f"--screenshot={png}", f"--window-size={PNG_SIZE[0]},{PNG_SIZE[1]}"], png_page)
        if not pdf.exists() or not png.exists():
            raise BriefError("Chromium wrote no file")
        return pdf.read_bytes(), png.read_bytes()
