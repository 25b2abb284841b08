"""What the browser tests share: Debian's Chromium driven by Playwright against `nianbao serve`'s server on
localhost, with every request to another host recorded and blocked."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a closed network: without the background-networking ones Chromium keeps dialling Google's hosts.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(built_site):
    from nianbao.site.serve import make_server

    site = built_site[1] / "site"
    httpd = make_server(site, "127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", site
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), ("Chromium is missing: run the test command (bash scripts/test.sh), "
                                     "which installs Debian's chromium package")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Watch:
    """A page whose console errors, page errors, dialogs and off-site requests are all recorded."""

    def __init__(self, browser):
        self.errors, self.outside, self.dialogs = [], [], []
        self.context = browser.new_context()
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _route(self, route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()
        assert self.errors == [], self.errors
        assert self.outside == [], self.outside
        assert self.dialogs == [], self.dialogs


@pytest.fixture
def watch(browser):
    w = Watch(browser)
    yield w
    w.close()


