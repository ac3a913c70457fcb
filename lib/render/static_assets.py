"""Copy the map assets from the XStatic packages into ``static/vendor`` at start-up.

Streamlit serves ``static/`` at ``/app/static/`` (``enableStaticServing``); the maps load
Leaflet and its friends from there instead of a CDN, so they draw offline. Kept apart
from :mod:`lib.render.maps` so the entry point does not import folium.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

from xstatic.pkg import bootstrap, font_awesome, jquery, leaflet, leaflet_markercluster

from lib.core.config import STATIC

URL_PREFIX = "/app/static/vendor"
VENDOR = STATIC / "vendor"

# (package, file or folder inside its data dir, target folder under static/vendor)
ASSETS = [
    (leaflet, "leaflet.js", "leaflet"),
    (leaflet, "leaflet.css", "leaflet"),
    (leaflet, "images", "leaflet/images"),
    (leaflet_markercluster, "leaflet.markercluster.js", "markercluster"),
    (leaflet_markercluster, "MarkerCluster.css", "markercluster"),
    (leaflet_markercluster, "MarkerCluster.Default.css", "markercluster"),
    (jquery, "jquery.min.js", "jquery"),
    (bootstrap, "css/bootstrap.min.css", "bootstrap/css"),
    (bootstrap, "js/bootstrap.bundle.min.js", "bootstrap/js"),
    (font_awesome, "css/all.min.css", "fontawesome/css"),
    (font_awesome, "webfonts", "fontawesome/webfonts"),
]


_installed: set[Path] = set()
_lock = threading.Lock()


def install_static_assets(target: Path = VENDOR) -> Path:
    """Copy the assets (idempotent: files already there are kept).

    Called by every run of ``app.py``: done once per process, under a lock, so sessions starting
    together do not copy the same folder at the same time.
    """
    if target in _installed:
        return target
    with _lock:
        if target not in _installed:
            _install(target)
            _installed.add(target)
    return target


def _install(target: Path) -> None:
    for package, name, folder in ASSETS:
        source = Path(package.BASE_DIR) / name
        dest = target / folder / Path(name).name
        if dest.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest)


GENERATED = STATIC / "generated"


def publish_json(name: str, payload: str) -> str:
    """Write ``payload`` (JSON text) under ``static/generated`` and return its URL.

    The file name carries a hash of the content, so a browser may cache it for good and
    a changed layer gets a new URL. Heavy map layers travel this way instead of inside the
    page's websocket message: the browser downloads them once.
    """
    import hashlib

    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]
    path = GENERATED / f"{name}-{digest}.json"
    if not path.exists():
        GENERATED.mkdir(parents=True, exist_ok=True)
        # A name of its own per writer: sessions and replicas may publish the same layer at once.
        tmp = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        tmp.write_text(payload, encoding="utf-8")
        tmp.replace(path)
    return f"{URL_PREFIX.rsplit('/', 1)[0]}/generated/{path.name}"
