"""The application under uvicorn in a background thread on a free loopback port: for the
browser tests, the screenshots of docs/web.md and the load test (benchmarks/web_load.py)."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from yusuan.web.app import create_app
from yusuan.web.settings import Settings


class BackgroundServer:
    """The application under uvicorn in a thread, on a free loopback port."""

    def __init__(self, settings: Settings) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> BackgroundServer:
        self.thread.start()
        end = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > end or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
