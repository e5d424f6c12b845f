"""Warm a replica before nginx sends it visitors: run every page once over Streamlit's WebSocket, as a browser
tab would, so that the first person after a start does not wait for the fresh process to import its modules,
open the snapshot and fill its caches (2.4–2.6 s of script run in `chiso bench`, against ≈ 0.5 s warm).

Streamlit's protobuf messages are its wire protocol, not a public API: a Streamlit upgrade that changes them
makes the warm-up fail loudly, never the app (the replica serves either way)."""

from __future__ import annotations

import time

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from ui.nav import PAGES


def warm(port: int, pages: list[str] | None = None, timeout: float = 120.0) -> float:
    """Run `pages` (URL paths; default every page of the menu) once on the replica at `port`; returns seconds."""
    t0 = time.perf_counter()
    with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                 origin=f"http://127.0.0.1:{port}", open_timeout=timeout, max_size=256 * 1024 * 1024) as ws:
        for page in [url for _, _, _, url, _ in PAGES] if pages is None else pages:
            back = BackMsg()
            back.rerun_script.page_name = page
            back.rerun_script.page_script_hash = ""
            back.rerun_script.query_string = ""
            ws.send(back.SerializeToString())
            deadline = time.perf_counter() + timeout
            while True:
                raw = ws.recv(timeout=max(0.1, deadline - time.perf_counter()))
                if isinstance(raw, str):
                    continue
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                if msg.WhichOneof("type") == "script_finished" and \
                        msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    break
    return time.perf_counter() - t0
