"""A real ``streamlit run app.py`` on a free loopback port, and a client that speaks Streamlit's WebSocket
protocol like one browser tab (``/_stcore/stream``: ``BackMsg.rerun_script`` → ``ForwardMsg`` deltas until
``script_finished``). Used by the load test, the server figures of the benchmark and the proxy runs.

Streamlit's protobuf classes are its wire protocol, not a public API: this is a measuring tool kept outside
the product packages, and a Streamlit upgrade that changes the protocol breaks only the benchmark."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.app_server import app_server as support_server


# ================================================================================== the server
@contextlib.contextmanager
def app_server(db: Path, *, port: int | None = None, timeout: float = 60.0, env: dict[str, str] | None = None,
               pids: list[int] | None = None):
    """``streamlit run app.py`` on 127.0.0.1 against ``db`` (tests.support.app_server, in debug mode, imports
    staged next to the database); yields the port. Output goes to ``server.log`` next to the database."""
    imports = {"CHISO_IMPORTS_DIR": str(Path(db).parent / "imports"), **(env or {})}
    with support_server(db, env=imports, port=port, timeout=timeout, pids=pids) as p:
        yield p


# ================================================================================== one browser tab
@dataclass
class PageRun:
    page: str
    seconds: float
    elements: dict[str, int] = field(default_factory=dict)   # element type → count
    errors: list[str] = field(default_factory=list)
    page_not_found: bool = False
    texts: list[str] = field(default_factory=list)            # markdown/alert/text bodies (for probes)
    nav_pages: list[str] = field(default_factory=list)        # url paths offered in the navigation
    largest: dict[str, int] = field(default_factory=dict)     # element type → bytes of its largest element
    bytes_received: int = 0                                   # every message of the run


class Session:
    """One WebSocket session speaking Streamlit's protocol, like one browser tab."""

    def __init__(self, port: int, *, timeout: float = 60.0, route: str | None = None):
        """`route`: the sticky-session cookie nginx hashes on (deploy/nginx.conf.template); without it every
        session of this one address would go to the same replica behind nginx."""
        from websockets.sync.client import connect

        self.timeout = timeout
        origin = f"http://127.0.0.1:{port}"
        self.ws = connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], origin=origin,
                          open_timeout=timeout, max_size=256 * 1024 * 1024,
                          additional_headers={"Cookie": f"chiso_route={route}"} if route else None).__enter__()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def load(self, page_name: str, *, query_string: str = "", keep_texts: bool = False) -> PageRun:
        """Run the app for one page (as a browser does on navigation) and read until the run finishes."""
        from streamlit.proto.Alert_pb2 import Alert
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        back = BackMsg()
        back.rerun_script.query_string = query_string
        back.rerun_script.page_name = page_name
        back.rerun_script.page_script_hash = ""
        run = PageRun(page_name or "overview", 0.0)
        t0 = time.perf_counter()
        self.ws.send(back.SerializeToString())
        deadline = t0 + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                run.errors.append(f"timeout after {self.timeout:.0f} s")
                break
            try:
                raw = self.ws.recv(timeout=left)
            except TimeoutError:
                run.errors.append(f"timeout after {self.timeout:.0f} s")
                break
            except Exception as e:  # noqa: BLE001 - a dropped connection is an error to count
                run.errors.append(f"connection: {type(e).__name__}: {e}")
                break
            if isinstance(raw, str):
                continue
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            run.bytes_received += len(raw)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                et = el.WhichOneof("type") or "?"
                run.elements[et] = run.elements.get(et, 0) + 1
                run.largest[et] = max(run.largest.get(et, 0), len(raw))
                if et == "exception":
                    run.errors.append(f"exception: {el.exception.type}: {el.exception.message[:200]}")
                elif et == "alert" and el.alert.format == Alert.ERROR:
                    run.errors.append(f"error alert: {el.alert.body[:200]}")
                if keep_texts:
                    if et == "alert":
                        run.texts.append(el.alert.body)
                    elif et == "markdown":
                        run.texts.append(el.markdown.body)
                    elif et == "text":
                        run.texts.append(el.text.body)
                    elif et == "heading":
                        run.texts.append(el.heading.body)
            elif kind == "navigation":
                run.nav_pages = [p.url_pathname for p in msg.navigation.app_pages]
            elif kind == "page_not_found":
                run.page_not_found = True
            elif kind == "session_event" and msg.session_event.WhichOneof("type") == "script_compilation_exception":
                run.errors.append("script compilation exception")
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    run.errors.append("finished with compile error")
                if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                    break
                # FINISHED_EARLY_FOR_RERUN: an st.rerun inside the app; keep reading the next run
        run.seconds = time.perf_counter() - t0
        return run
