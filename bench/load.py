"""Load generator (a benchmark, not a test): N simulated users over Streamlit's own websocket protocol.

    python -m bench.load --users 20 --rounds 2              # one server process
    python -m bench.load --users 1 --rounds 5               # one user, warm (server time per page)
    python -m bench.load --users 1 --rounds 1 --no-warmup   # first visits after a start
    python -m bench.load --users 20 --rounds 2 --replicas 2 --nginx   # nginx in front of 2 replicas

It only ever targets servers it starts itself on 127.0.0.1 (free ports), and stops them at the
end. Each simulated user opens one websocket on ``/_stcore/stream`` (one Streamlit session, no
browser), then runs the pages in turn: a ``BackMsg.rerun_script`` naming the page (its
``page_script_hash`` once the navigation message taught it, and its url path in ``page_name``),
timed until the ``script_finished`` message. The time is the server's: running the page and
sending its deltas, not the browser drawing them. All users start together (a room opening the
link), so the figures include queueing. Reported: per page median, p95 and max, errors (an
exception element, a script that did not finish, a timeout), page runs per second, and the peak
RSS of every server process (``VmHWM``).

With ``--nginx``, Debian's nginx (``/usr/sbin/nginx``) is started on a free port with the
configuration of ``deploy/nginx/pric.conf`` (same upstream, sticky cookie, websocket settings; only
the ports and paths are rewritten), and every user goes through it with its own sticky cookie,
as browsers would.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["", "donnees", "chomage", "territoires", "zones_blanches", "parcours", "fiche_departement", "diagnostic",
         "comparer", "sources"]
LABELS = {"": "accueil", "donnees": "données", "chomage": "chômage", "territoires": "territoires", "zones_blanches": "zones blanches",
          "parcours": "parcours", "fiche_departement": "fiche", "diagnostic": "diagnostic", "comparer": "comparer",
          "sources": "sources"}
NGINX = "/usr/sbin/nginx"
HOST = "127.0.0.1"


# ---------------------------------------------------------------------------------------------
# Servers we start (and only those)

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def start_replica(port: int, log_dir: Path, env: dict[str, str]) -> Server:
    log = log_dir / f"replica-{port}.log"
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
               "--server.address", HOST, "--server.headless", "true", "--browser.gatherUsageStats", "false",
               # as deployed: no file watcher (it reloads modules when a file of the checkout changes)
               "--server.fileWatcherType", "none"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    return Server(port, process, log)


def wait_healthy(port: int, timeout: float = 90) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"le serveur du port {port} ne répond pas")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # its own process group (start_new_session)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory of a process (``VmHWM``), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def nginx_config(replica_ports: list[int], listen: int, workdir: Path) -> Path:
    """A standalone nginx.conf around ``deploy/nginx/pric.conf``, with our ports and temp paths."""
    site = (ROOT / "deploy" / "nginx" / "pric.conf").read_text()
    servers = "".join(f"    server {HOST}:{p} max_fails=2 fail_timeout=10s;\n" for p in replica_ports)
    site = re.sub(r"(upstream pric \{\n(?:\s*#.*\n|\s*hash .*\n|\s*keepalive .*\n)*)(?:\s*server .*\n)+",
                  lambda m: m.group(1) + servers, site)
    site = re.sub(r"listen\s+\d+;", f"listen {HOST}:{listen};", site)
    site = re.sub(r"\n\s*listen \[::\]:\d+;", "", site)
    temp = workdir / "temp"
    temp.mkdir(exist_ok=True)
    conf = workdir / "nginx.conf"
    conf.write_text(f"""worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{site}
}}
""")
    return conf


def start_nginx(conf: Path) -> subprocess.Popen:
    check = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(conf.parent)], capture_output=True, text=True)
    if check.returncode:
        raise RuntimeError(check.stderr)
    return subprocess.Popen([NGINX, "-c", str(conf), "-p", str(conf.parent), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


# ---------------------------------------------------------------------------------------------
# One simulated user: one Streamlit session over the websocket

@dataclass
class Timings:
    runs: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PAGES})
    errors: list[str] = field(default_factory=list)


async def user(index: int, port: int, rounds: int, pages: list[str], timings: Timings, timeout: float,
               cookie: str | None, record: bool = True) -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    headers = {"Cookie": f"pric_route={cookie}"} if cookie else None
    hashes: dict[str, str] = {}
    async with connect(f"ws://{HOST}:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                       additional_headers=headers, open_timeout=60, ping_interval=None) as ws:
        for _ in range(rounds):
            for page in pages:
                msg = BackMsg()
                state = msg.rerun_script
                state.page_name = page
                state.page_script_hash = hashes.get(page, "")
                state.query_string = ""
                state.widget_states.SetInParent()
                start = time.perf_counter()
                await ws.send(msg.SerializeToString())
                problem = None
                try:
                    async with asyncio.timeout(timeout):
                        while True:
                            forward = ForwardMsg()
                            forward.ParseFromString(await ws.recv())
                            kind = forward.WhichOneof("type")
                            if kind == "navigation":
                                hashes.update({p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages})
                            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                                if forward.delta.new_element.WhichOneof("type") == "exception":
                                    problem = problem or f"exception: {forward.delta.new_element.exception.message[:120]}"
                            elif kind == "page_not_found":
                                problem = problem or "page_not_found"
                            elif kind == "script_finished":
                                if forward.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                                    problem = problem or f"script_finished={forward.script_finished}"
                                break
                except TimeoutError:
                    problem = f"délai dépassé ({timeout:g} s)"
                elapsed = time.perf_counter() - start
                if problem:
                    timings.errors.append(f"utilisateur {index}, page {LABELS[page]}: {problem}")
                elif record:
                    timings.runs[page].append(elapsed)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = q * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def fr(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def report(timings: Timings, wall: float, servers: list[Server], title: str) -> None:
    runs = sum(len(v) for v in timings.runs.values())
    print(f"\n### {title}\n")
    print("| | " + " | ".join(LABELS[p] for p in PAGES) + " |")
    print("| --- " * (len(PAGES) + 1) + "|")
    for name, fn in (("médiane", statistics.median), ("p95", lambda v: percentile(v, 0.95)), ("max", max)):
        print(f"| {name} | " + " | ".join(f"{fr(fn(timings.runs[p]))} s" if timings.runs[p] else "–" for p in PAGES) + " |")
    print(f"\npages exécutées : {runs} en {fr(wall, 1)} s, soit {fr(runs / wall, 1)} pages/s ; erreurs : {len(timings.errors)}")
    for error in timings.errors[:10]:
        print(f"  - {error}")
    for server in servers:
        rss = peak_rss_mb(server.pid)
        print(f"mémoire de pointe (VmHWM) du serveur {server.port} : {fr(rss, 0) if rss else '?'} Mo")


async def run_users(args, port: int, pages: list[str], timings: Timings, cookies: list[str | None]) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(user(i, port, args.rounds, pages, timings, args.timeout, cookies[i])
                           for i in range(args.users)))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pages", default=",".join(PAGES), help="url paths, comma-separated ('' is the home page)")
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--nginx", action="store_true", help="go through nginx (deploy/nginx/pric.conf)")
    parser.add_argument("--no-warmup", action="store_true",
                        help="measure first visits: no warm-up round before the measured ones")
    parser.add_argument("--settle", type=float, default=0.0,
                        help="seconds to wait after the server is healthy (lets the background warm-up run)")
    parser.add_argument("--no-start-probe", action="store_true",
                        help="do not call /_stcore/script-health-check after the start (deploy/ does)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds before a page run counts as an error")
    args = parser.parse_args()
    pages = [p.strip() for p in args.pages.split(",")] if args.pages else [""]
    if args.nginx and not Path(NGINX).exists():
        sys.exit(f"{NGINX} est absent")

    workdir = Path(tempfile.mkdtemp(prefix="pric-load-"))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # Replicas behind one proxy share the cookie secret (XSRF cookies valid on any replica).
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", uuid.uuid4().hex)
    servers: list[Server] = []
    proxy = None
    try:
        for _ in range(args.replicas):
            servers.append(start_replica(free_port(), workdir, env))
        ready = max(wait_healthy(s.port) for s in servers)
        print(f"{len(servers)} serveur(s) prêt(s) en {fr(ready, 1)} s (ports {', '.join(str(s.port) for s in servers)})")
        port = servers[0].port
        if args.nginx:
            port = free_port()
            proxy = start_nginx(nginx_config([s.port for s in servers], port, workdir))
            wait_healthy(port)
            print(f"nginx devant les réplicas, port {port}")
        elif len(servers) > 1:
            sys.exit("plusieurs réplicas sans --nginx : rien ne répartirait la charge")
        if not args.no_start_probe:
            # As deploy/ does after a start: run the app once (starts the background warm-up).
            for server in servers:
                urllib.request.urlopen(f"http://{HOST}:{server.port}/_stcore/script-health-check", timeout=120).read()
        if args.settle:
            time.sleep(args.settle)
        cookies = [uuid.uuid4().hex if args.nginx else None for _ in range(max(args.users, 2 * args.replicas))]
        if not args.no_warmup:
            # One user per replica visits every page once (its cookie routes it), not recorded.
            warm = Timings()
            warm_cookies = _cookies_covering(servers, port, cookies) if args.nginx else [None]
            asyncio.run(_warm(port, pages, warm, args.timeout, warm_cookies))
            if warm.errors:
                print("échauffement :", *warm.errors[:5], sep="\n  - ")
        timings = Timings()
        wall = asyncio.run(run_users(args, port, pages, timings, cookies))
        title = (f"{args.users} utilisateur(s) × {args.rounds} tour(s), {args.replicas} processus"
                 + (" derrière nginx" if args.nginx else "") + (", premières visites" if args.no_warmup else ", à chaud"))
        report(timings, wall, servers, title)
    finally:
        if proxy is not None:
            stop(proxy)
        for server in servers:
            stop(server.process)
        print("journaux gardés :", workdir) if os.environ.get("PRIC_BENCH_KEEP") else shutil.rmtree(workdir, ignore_errors=True)


def _cookies_covering(servers: list[Server], port: int, cookies: list[str | None]) -> list[str | None]:
    """Warm-up cookies: with consistent hashing we cannot tell which replica a cookie reaches, so
    warm with several (enough that every replica is very likely visited)."""
    return [uuid.uuid4().hex for _ in range(4 * len(servers))]


async def _warm(port: int, pages: list[str], timings: Timings, timeout: float, cookies: list[str | None]) -> None:
    await asyncio.gather(*(user(-1, port, 1, pages, timings, timeout, c, record=False) for c in cookies))


if __name__ == "__main__":
    main()
