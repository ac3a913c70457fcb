"""deploy/nginx/pric.conf passes ``nginx -t`` (skipped when nginx is not installed)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.load import NGINX, nginx_config
from lib.config import ROOT

NGINX_BIN = NGINX if Path(NGINX).exists() else shutil.which("nginx")
pytestmark = pytest.mark.skipif(NGINX_BIN is None, reason="nginx absent")


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
