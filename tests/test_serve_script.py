"""The README's first command on a fresh clone: `bash scripts/serve.sh` makes .venv, installs, builds the bundled
reports and serves the site. Run on a clone of the committed tree, stopped after the first page is served."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_script_builds_and_serves_the_bundled_reports_on_a_fresh_clone(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(["bash", "scripts/serve.sh", "--port", str(port)], cwd=clone, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        page = _first_page(f"http://127.0.0.1:{port}/", server, deadline=time.monotonic() + 600)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    assert page is not None, (tmp_path / "serve.log").read_text(encoding="utf-8")[-3000:]
    assert "年报 Nianbao" in page
    assert (clone / ".venv" / "bin" / "nianbao").is_file()
    published = sorted(p.parent.parent.name + "/" + p.parent.name
                       for p in (clone / "datapackages").glob("*/*/datapackage.json"))
    # the seed texts and the real PDFs (洪泽区 in two years, 淮安市), each with its PDF beside its page
    assert {"320813-gov/2023", "320813-gov/2024", "320800-gov/2024"} <= set(published), published
    assert all((clone / "site" / "agencies" / body_year / "source.pdf").is_file()
               for body_year in ("320813-gov/2023", "320813-gov/2024", "320800-gov/2024"))
    assert all((clone / "site" / "agencies" / body_year / "index.html").is_file() for body_year in published)


def _first_page(url: str, server: subprocess.Popen, deadline: float) -> str | None:
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            time.sleep(2)
    return None
