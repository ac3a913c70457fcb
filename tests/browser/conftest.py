"""Real-browser fixtures: the app served by ``streamlit run`` on a free local port, driven by
Debian's headless Chromium through chromedriver. Skipped when Chromium is absent outside CI;
in CI (``CI=true``) a missing browser is a failure, not a skip."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, timeout: float) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"le serveur Streamlit n'a pas répondu sur {url}")


def start_app(port: int, env: dict | None = None, log: Path | None = None) -> subprocess.Popen:
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true"]
    output = subprocess.DEVNULL
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        output = log.open("w")
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                               stdout=output, stderr=subprocess.STDOUT)
    _wait_http(f"http://127.0.0.1:{port}/_stcore/health", 60)
    return process


def make_driver(width: int = 1440, height: int = 900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--window-size={width},{height}", "--lang=fr-FR"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def _browser_available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


@pytest.fixture(scope="session")
def app_url():
    if not _browser_available():
        if os.environ.get("CI"):
            pytest.fail("Chromium et chromedriver sont requis en CI (paquets Debian chromium, chromium-driver).")
        pytest.skip("Chromium absent : test navigateur ignoré hors CI.")
    port = _free_port()
    process = start_app(port, log=ARTIFACTS.parent / "streamlit.log")  # kept to explain a failure
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def driver(app_url):
    browser = make_driver()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield browser
    browser.quit()
