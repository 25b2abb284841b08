"""`nianbao serve`: the built site over HTTP on localhost (Pagefind and the charts' fetches need HTTP)."""

from __future__ import annotations

import errno
import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".json": "application/json",
                      ".csv": "text/csv; charset=utf-8", ".js": "text/javascript", ".md": "text/markdown; charset=utf-8",
                      ".txt": "text/plain; charset=utf-8", ".pf_meta": "application/octet-stream"}

    def log_message(self, format, *args):  # noqa: A002 — the stdlib's signature
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A page that does not exist gets the site's own 404 page (in Chinese, with the site's menu and search),
        as GitHub Pages serves it, rather than Python's English error page."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class PortBusy(Exception):
    """The address is taken (another `nianbao serve`, or another program)."""


def make_server(site: Path, bind: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(site))
    try:
        return ThreadingHTTPServer((bind, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortBusy(f"port {port} on {bind} is in use by another program: stop it, or choose another "
                           f"port with --port {port + 1}") from None
        raise


def serve_site(site: Path, bind: str, port: int, announce=print) -> None:
    server = make_server(site, bind, port)
    announce(f"serving {site} at http://{bind}:{server.server_address[1]}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
