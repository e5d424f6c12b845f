"""What a person in a browser waits for: Debian's Chromium driven by Playwright against a real server.

One visit is timed from navigation start to
- first contentful paint (the browser's own `first-contentful-paint` entry),
- WebSocket open, the app's first script run finished (Streamlit's `script_finished` message, read from
  the WebSocket frames the page receives: server script run + delivery),
- "page complete": that run finished, Streamlit's running indicator gone, no skeleton left, every
  `.js-plotly-plot` laid out (`_fullLayout` and its SVG present), and two animation frames after that
  (the paint).
The split says where the time goes: before the WebSocket (HTML, JavaScript, fonts), the script run and
delivery (rerun sent → script finished), and the browser's own work after the last message (Plotly layout
and paint). Bytes are what crossed the network: HTTP transfer sizes (Resource Timing, compressed sizes
through nginx, 0 for a cached file) plus the WebSocket's bytes (nginx's access log of the connection,
compressed when Streamlit compresses its messages; else the payloads the page received).
"""

from __future__ import annotations

import contextlib
import statistics
import time
from dataclasses import dataclass, field

from tests.support.browser import CHROMIUM, chromium  # noqa: F401 - part of this module's API (people, report)

VIEWPORT = {"width": 1440, "height": 1000}

COMPLETE_JS = """() => {
    if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    if (!document.querySelector('h1')) return false;
    for (const p of document.querySelectorAll('.js-plotly-plot')) {
        if (!p._fullLayout || !p.querySelector('.main-svg')) return false;
    }
    return true;
}"""
TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
HTTP_JS = """() => {
    const out = {bytes: 0, font_bytes: 0, js_bytes: 0, fonts_ms: 0};
    for (const e of performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))) {
        out.bytes += e.transferSize || 0;
        if (/\\.(ttf|woff2?|otf)(\\?|$)/.test(e.name)) { out.font_bytes += e.transferSize || 0;
                                                        out.fonts_ms = Math.max(out.fonts_ms, e.responseEnd); }
        if (/\\.js(\\?|$)/.test(e.name)) out.js_bytes += e.transferSize || 0;
    }
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    out.fcp_ms = fcp ? fcp.startTime : null;
    return out;
}"""


@dataclass
class Visit:
    url: str
    fcp_ms: float | None = None
    ws_open_ms: float | None = None
    rerun_sent_ms: float | None = None
    finished_ms: float | None = None          # the last script_finished before complete
    complete_ms: float | None = None
    http_bytes: int = 0
    ws_bytes: int = 0                         # WebSocket payloads as the page got them (decompressed)
    ws_wire_bytes: int | None = None          # the same as sent through nginx (its access log), if known
    font_bytes: int = 0
    js_bytes: int = 0
    fonts_ms: float = 0.0
    plots: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def kb(self) -> float:
        """KB transferred: HTTP plus the WebSocket (on the wire when known, permessage-deflate included)."""
        return (self.http_bytes + (self.ws_bytes if self.ws_wire_bytes is None else self.ws_wire_bytes)) / 1024

    @property
    def script_ms(self) -> float | None:
        """Rerun request sent → script finished (server run + WebSocket delivery)."""
        if self.finished_ms is None or self.rerun_sent_ms is None:
            return None
        return self.finished_ms - self.rerun_sent_ms

    @property
    def browser_ms(self) -> float | None:
        """Script finished → page complete (Plotly layout, React, paint)."""
        if self.finished_ms is None or self.complete_ms is None:
            return None
        return self.complete_ms - self.finished_ms


class Tab:
    """One page in a browser context, with the WebSocket watched: script runs are counted as they finish."""

    def __init__(self, context):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._fwd = ForwardMsg
        self.page = context.new_page()
        self.t0 = time.perf_counter()
        self.finished: list[float] = []
        self.ws_bytes = 0
        self.ws_open: float | None = None
        self.rerun_sent: float | None = None
        self.errors: list[str] = []
        self.page.on("websocket", self._on_ws)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def _ms(self) -> float:
        return (time.perf_counter() - self.t0) * 1000

    def _on_ws(self, ws) -> None:
        if "/_stcore/stream" not in ws.url:
            return
        self.ws_open = self._ms()
        ws.on("framereceived", self._on_frame)
        ws.on("framesent", self._on_sent)

    def _on_sent(self, payload) -> None:
        if self.rerun_sent is None:
            self.rerun_sent = self._ms()

    def _on_frame(self, payload) -> None:
        if isinstance(payload, str):
            self.ws_bytes += len(payload.encode())
            return
        self.ws_bytes += len(payload)
        msg = self._fwd()
        with contextlib.suppress(Exception):
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "script_finished" and \
                    msg.script_finished != self._fwd.FINISHED_EARLY_FOR_RERUN:
                self.finished.append(self._ms())
            elif msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                    and msg.delta.new_element.WhichOneof("type") == "exception":
                self.errors.append("exception: " + msg.delta.new_element.exception.message[:200])

    def wait_complete(self, runs_before: int, timeout_ms: float = 120_000) -> float:
        """Until a script run after `runs_before` has finished and the page is complete; returns ms."""
        deadline = time.perf_counter() + timeout_ms / 1000
        while len(self.finished) <= runs_before:
            if time.perf_counter() > deadline:
                raise TimeoutError("no script run finished")
            self.page.wait_for_timeout(20)
        self.page.wait_for_function(COMPLETE_JS, timeout=timeout_ms, polling="raf")
        self.page.evaluate(TWO_FRAMES_JS)
        return self._ms()

    def visit(self, url: str) -> Visit:
        self.t0 = time.perf_counter()
        self.finished, self.ws_bytes, self.ws_open, self.rerun_sent = [], 0, None, None
        v = Visit(url)
        self.page.goto(url, wait_until="commit")
        v.complete_ms = self.wait_complete(0)
        v.finished_ms = self.finished[-1]
        v.ws_open_ms, v.rerun_sent_ms, v.ws_bytes = self.ws_open, self.rerun_sent, self.ws_bytes
        http = self.page.evaluate(HTTP_JS)
        v.fcp_ms, v.http_bytes, v.font_bytes, v.js_bytes = http["fcp_ms"], http["bytes"], http["font_bytes"], \
            http["js_bytes"]
        v.fonts_ms = http["fonts_ms"]
        v.plots = self.page.locator(".js-plotly-plot").count()
        v.errors = list(self.errors)
        return v

    def change(self, open_picker) -> dict[str, float]:
        """A picker change timed as a person feels it: `open_picker(page)` opens the list (not timed) and
        returns the option to click; from that click until the page has re-rendered. Returns total ms, of
        which the script run + delivery (until script_finished) and the browser's work after it."""
        option = open_picker(self.page)
        runs = len(self.finished)
        bytes_before = self.ws_bytes
        self.t0 = time.perf_counter()
        option.click()
        total = self.wait_complete(runs)
        return {"total_ms": total, "script_ms": self.finished[-1], "browser_ms": total - self.finished[-1],
                "ws_kb": (self.ws_bytes - bytes_before) / 1024}


def pick(page, labels: tuple[str, ...], option: str | None = None):
    """Open the sidebar selectbox whose label is one of `labels`; returns the option `option` (by its text),
    else the one after the current (or the first), for the caller to click."""
    boxes = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
    names = [t.strip() for t in boxes.all_inner_texts()]
    box = boxes.nth(next(i for i, n in enumerate(names) if n in labels))
    current = box.locator('input[role="combobox"]').input_value().strip()
    box.locator('button[aria-haspopup="listbox"]').click()
    opts = page.locator('[role="option"]')
    opts.first.wait_for(timeout=10_000)
    texts = [t.strip() for t in opts.all_inner_texts()]
    if option is None:
        i = texts.index(current) if current in texts else -1
        option = texts[(i + 1) % len(texts)]
    return opts.nth(texts.index(option))


YEAR = ("Năm", "Year")
LANGUAGE = ("Ngôn ngữ · Language", "Language · Ngôn ngữ")


def year_picker(page):
    return pick(page, YEAR)


def language_picker(page):
    return pick(page, LANGUAGE)


def stats(xs: list[float]) -> dict[str, float]:
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return {"n": 0, "median": float("nan"), "p95": float("nan")}
    return {"n": len(xs), "median": statistics.median(xs), "p95": xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]}
