"""deploy/nginx/pric.conf passes ``nginx -t`` (skipped when nginx is not installed)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.load import NGINX, nginx_config
from lib.core.config import ROOT

NGINX_BIN = NGINX if Path(NGINX).exists() else shutil.which("nginx")
pytestmark = pytest.mark.skipif(NGINX_BIN is None, reason="nginx absent (paquet Debian nginx) : configuration non vérifiée")


def test_site_configuration_is_valid(tmp_path):
    conf = nginx_config([8501, 8502], 8080, tmp_path)
    result = subprocess.run([NGINX_BIN, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_site_configuration_has_the_pieces_streamlit_needs():
    site = (ROOT / "deploy" / "nginx" / "pric.conf").read_text()
    assert re.search(r"hash \$pric_route consistent;", site)  # sticky
    assert "proxy_set_header Upgrade $http_upgrade;" in site  # websocket
    assert "location = /_stcore/health" in site
    assert re.search(r"client_max_body_size \d+m;", site)
    # The benchmark rewrites the replicas: both are there after the rewrite.
    assert len(re.findall(r"server 127\.0\.0\.1:\d+ ", site)) == 2


def test_page_leaves_nginx_in_french(tmp_path):
    """Streamlit's page says lang="en" (streamlit issue #15726): nginx rewrites it to lang="fr" on
    every page path, and leaves the other files (and their compression) alone."""
    import gzip
    import threading
    import time
    import urllib.request
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from bench.load import free_port, start_nginx

    page = b'<!doctype html><html lang="en"><head></head><body>app</body></html>'
    seen: list[str] = []

    class Streamlit(BaseHTTPRequestHandler):  # stands for a replica: index.html on any page path
        def do_GET(self):  # noqa: N802
            seen.append(self.headers.get("Accept-Encoding", ""))
            body = page if "." not in self.path else b'console.log("<html lang=\\"en\\">")'
            compressed = "gzip" in self.headers.get("Accept-Encoding", "")
            if compressed:
                body = gzip.compress(body)
            self.send_response(200)
            self.send_header("Content-Type", "text/html" if "." not in self.path else "application/javascript")
            if compressed:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    backend = ThreadingHTTPServer(("127.0.0.1", free_port()), Streamlit)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    listen = free_port()
    proxy = start_nginx(nginx_config([backend.server_address[1]], listen, tmp_path))
    try:
        def get(path: str) -> bytes:
            deadline = time.time() + 10
            while True:
                try:
                    request = urllib.request.Request(f"http://127.0.0.1:{listen}{path}", headers={"Accept-Encoding": "gzip"})
                    with urllib.request.urlopen(request, timeout=5) as response:
                        data = response.read()
                        return gzip.decompress(data) if response.headers.get("Content-Encoding") == "gzip" else data
                except OSError:
                    if time.time() > deadline:
                        raise
                    time.sleep(0.1)

        for path in ("/", "/chomage", "/fiche_departement", "/accessibilite"):
            assert b'<html lang="fr">' in get(path), path
        assert b'lang=\\"en\\"' in get("/static/js/main.js")  # other files untouched
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        backend.shutdown()
