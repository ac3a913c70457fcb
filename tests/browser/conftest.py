"""Real-browser fixtures: the app served by ``streamlit run`` on a free local port, driven by
Debian's headless Chromium through chromedriver. Skipped, naming the missing piece, when Chromium
or chromedriver is absent outside CI; in CI (``CI=true``) a missing piece is a failure, not a skip.

One Streamlit server and one browser for the modules that use ``app_url`` (session scope): under
pytest-xdist they form one group (``streamlit_app``, tests/conftest.py) run by one worker in file order,
so the server is started once in the whole run and its first request is still the direct link of
``test_direct_link_on_fresh_server_goes_through_navigation``, as in a serial run. Each test opens its
page with ``driver.get``: a new Streamlit session, so nothing a test imported or chose is seen by the
next one. A module needing other settings starts its own server (``serve_app``), as
test_every_department_in_browser.py does."""
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
# What each piece is called, and the Debian package that brings it.
PIECES = {"chromium": (CHROMIUM, "chromium"), "chromedriver": (CHROMEDRIVER, "chromium-driver")}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"le serveur Streamlit s'est arrêté (code {process.returncode}) avant de répondre sur {url}")
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
    try:
        _wait_http(f"http://127.0.0.1:{port}/_stcore/health", 60, process)
    except RuntimeError:
        stop_app(process)
        raise
    return process


def stop_app(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def serve_app(env: dict | None = None, log: Path | None = None, tries: int = 3) -> tuple[subprocess.Popen, str]:
    """``streamlit run`` on a free port, and its URL. A port found free can be taken by another
    process (another xdist worker's server) before Streamlit binds it: then another port is tried."""
    for attempt in range(tries):
        port = _free_port()
        try:
            return start_app(port, env, log), f"http://127.0.0.1:{port}"
        except RuntimeError:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


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


def missing_pieces() -> list[str]:
    """The pieces of the real-browser tests that are not installed: ``chromium``, ``chromedriver``."""
    return [name for name, (path, _) in PIECES.items() if not Path(path).exists()]


def _browser_available() -> bool:
    return not missing_pieces()


def require_browser() -> None:
    """Skip (fail in CI) naming what is missing, and the Debian package that brings it."""
    missing = missing_pieces()
    if not missing:
        return
    what = " et ".join(f"{name} (paquet Debian {PIECES[name][1]})" for name in missing)
    absent = "absents" if len(missing) > 1 else "absent"
    if os.environ.get("CI"):
        pytest.fail(f"{what} {absent} : requis en CI pour les tests navigateur.")
    pytest.skip(f"{what} {absent} : test navigateur ignoré hors CI.")


@pytest.fixture(scope="session")
def app_url():
    require_browser()
    process, url = serve_app(log=ARTIFACTS.parent / "streamlit.log")  # kept to explain a failure
    yield url
    stop_app(process)


@pytest.fixture(scope="session")
def driver(app_url):
    browser = make_driver()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield browser
    browser.quit()
