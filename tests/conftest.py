"""Shared test settings: fixtures folder, the region forced to the default, a zip writer; and how
the suite runs in parallel (pytest-xdist, ``-n 2 --dist loadgroup`` in pytest.ini): which tests share
a worker, in which order they are handed out, and the files every process shares on disk, written
once before the workers start."""
from __future__ import annotations

import io
import os
import warnings
import zipfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
os.environ.setdefault("PRIC_REGION", "84")


def zipped(files: dict[str, bytes]) -> bytes:
    """A zip archive (deflated) holding ``files`` (name -> content), written in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _parallel(config) -> bool:
    """True in the pytest-xdist controller of a run with workers (``-n 2`` in pytest.ini)."""
    return not hasattr(config, "workerinput") and bool(getattr(config.option, "numprocesses", 0))


def warm_shared_files() -> None:
    """Write, once, the files that every process of the app writes when it lacks them: the map assets
    copied to ``static/vendor`` and the tables kept in ``data/cache``. Both are written in place
    (``shutil.copy2``, ``DataFrame.to_parquet``): with several workers and their Streamlit servers
    starting together on a clean clone, one process could read a file another is still writing (a
    truncated leaflet.js, a parquet without its footer). Done here, before any worker starts, every
    process finds them whole. A file the app names otherwise is simply written by the app as before."""
    from lib.core.config import GEO, RAW, REFERENCE, ROOT
    from lib.datasets.tables_cache import cached_table
    from lib.indicators import compare
    from lib.render.static_assets import install_static_assets
    from lib.sources import cog

    install_static_assets()
    # Every file a table may be built from (and the code): a table fresh for these is fresh for the app.
    sources = [path for folder in (RAW, REFERENCE, GEO, ROOT / "lib") for path in folder.rglob("*") if path.is_file()]
    cached_table("cog_communes", sources, cog.read_communes)
    for qpv_list in ("2024", "2015"):
        cached_table(f"compare_base_{qpv_list}", sources,
                     lambda qpv_list=qpv_list: compare.build_base(qpv_list).departements)


def pytest_sessionstart(session) -> None:
    if not _parallel(session.config):
        return
    try:
        warm_shared_files()
    except (ImportError, AttributeError) as error:  # the app's layout moved: it writes them itself, as before
        warnings.warn(f"tests/conftest.py : fichiers partagés non préparés ({error!r})", stacklevel=1)


# The tests that use the browser fixtures' shared Streamlit server (``app_url``): one worker runs them
# all, in file order, so that server is started once in the run, as in a serial run.
SHARED_SERVER_GROUP = "streamlit_app"
# Handed out first, the longest first (--no-loadscope-reorder keeps this order): a long module
# started last would keep one worker busy alone at the end of the run.
FIRST = ("tests/browser/", "tests/app/")


def _shares_the_server(item) -> bool:
    return "app_url" in item.fixturenames


def _rank(item) -> tuple[int, int]:
    path = item.nodeid.split("::", 1)[0]
    return next((i for i, prefix in enumerate(FIRST) if path.startswith(prefix)), len(FIRST)), int(not _shares_the_server(item))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    """In an xdist worker: the tests of the shared server form one group (xdist adds ``@streamlit_app``
    to their ids); browser tests, then AppTest tests, are handed out first. A serial run (``-n 0``)
    keeps pytest's order."""
    if not hasattr(config, "workerinput"):
        return
    for item in items:
        if _shares_the_server(item):
            item.add_marker(pytest.mark.xdist_group(SHARED_SERVER_GROUP))
    items.sort(key=_rank)  # stable: a module's tests keep their order


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` where a test outside any group goes with its module (as ``--dist loadfile``
    does) instead of alone: a module's module-scoped fixtures are then built by one worker, once."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class ModuleOrGroupScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)  # the group's name, or the test's own id
            return scope if scope != nodeid else nodeid.split("::", 1)[0]

    return ModuleOrGroupScheduling(config, log)
