"""`nianbao serve`: the built site over HTTP on localhost (Pagefind and the charts' fetches need HTTP)."""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".json": "application/json",
                      ".csv": "text/csv; charset=utf-8", ".js": "text/javascript", ".md": "text/markdown; charset=utf-8",
                      ".txt": "text/plain; charset=utf-8", ".pf_meta": "application/octet-stream"}

    def log_message(self, format, *args):  # noqa: A002 — the stdlib's signature
        pass


def make_server(site: Path, bind: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(site))
    return ThreadingHTTPServer((bind, port), handler)


def serve_site(site: Path, bind: str, port: int, announce=print) -> None:
    server = make_server(site, bind, port)
    announce(f"serving {site} at http://{bind}:{server.server_address[1]}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
