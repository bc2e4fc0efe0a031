"""Replicas of the dashboard behind nginx on 127.0.0.1, for tests and benchmarks.

    python -m deploy.local_replicas [--replicas 2] [--port 8080] [--db PATH]

starts N `streamlit run app.py` replicas on free loopback ports, all reading one cache, and
Debian's nginx in front of them with the committed site (deploy/council-dashboard.nginx: only
its listen address and upstream servers are changed). It prints the URL and stops everything
on Ctrl-C. Tests and the load benchmark use :func:`running`. nginx is installed with apt-get
when missing (as root, or with password-less sudo); when it cannot be, :class:`NoNginx` says
why.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "deploy" / "council-dashboard.nginx"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
COOKIE = "council_replica"
REPLICA_HEADER = "X-Council-Replica"


class NoNginx(RuntimeError):
    """nginx is not installed and could not be installed; the message says why."""


@dataclass
class Replicas:
    """What :func:`running` started: nginx's URL and each replica's own URL and process."""

    url: str
    replica_urls: list[str]
    db: Path
    processes: list[subprocess.Popen] = field(repr=False)
    nginx: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def pids(self) -> list[int]:
        """The replicas' process ids (for memory figures)."""
        return [process.pid for process in self.processes]


def free_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_binary() -> str | None:
    """Path of the nginx program, or None."""
    found = shutil.which("nginx")
    if found:
        return found
    return next((path for path in NGINX_CANDIDATES if Path(path).exists()), None)


def ensure_nginx() -> str:
    """The nginx program; installs Debian's package (nginx-light) with apt-get when missing."""
    found = nginx_binary()
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if sudo and not shutil.which("sudo"):
        raise NoNginx("nginx is not installed, and installing it needs root (no sudo)")
    install = [*sudo, "apt-get", "install", "-y", "-q", "nginx-light"]
    done = subprocess.run(install, capture_output=True, text=True, check=False)
    if done.returncode != 0:  # a stale package list: update it once, then try again
        subprocess.run([*sudo, "apt-get", "update", "-q"], capture_output=True, check=False)
        done = subprocess.run(install, capture_output=True, text=True, check=False)
    found = nginx_binary()
    if not found:
        raise NoNginx(f"nginx is not installed and apt-get could not install it: {done.stderr}")
    return found


def site_config(replica_ports: list[int], listen_port: int) -> str:
    """The committed nginx site, listening on 127.0.0.1:``listen_port`` before these replicas."""
    site = SITE.read_text()
    servers = "".join(
        f"    server 127.0.0.1:{port} max_fails=2 fail_timeout=10s;\n" for port in replica_ports
    )
    site, upstreams = re.subn(r"(?m)^    server 127\.0\.0\.1:\d+ [^\n]*\n", "", site)
    if not upstreams:
        raise ValueError(f"{SITE}: no 'server 127.0.0.1:PORT' lines in the upstream")
    site = site.replace(
        "    hash $council_route consistent;\n", "    hash $council_route consistent;\n" + servers
    )
    site = re.sub(r"(?m)^    listen \[::\]:80;\n", "", site)
    return re.sub(r"(?m)^    listen 80;", f"    listen 127.0.0.1:{listen_port};", site)


def nginx_config(replica_ports: list[int], listen_port: int, workdir: Path) -> str:
    """A whole nginx.conf (foreground, files under ``workdir``) around :func:`site_config`."""
    temp = {name: workdir / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir(exist_ok=True)
        folder.chmod(0o777)  # nginx's workers may run as another user than its master
    return f"""daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {workdir}/access.log;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
{site_config(replica_ports, listen_port)}
}}
"""


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    """Wait until ``url``/_stcore/health answers 200; raise if ``process`` ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = getattr(process, "log_path", None)
            output = Path(log).read_text(errors="replace")[-3000:] if log else ""
            raise RuntimeError(f"{process.args[0]} exited early: {output}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"no health at {url}/_stcore/health")


def start_replica(
    port: int, env: Mapping[str, str], log: Path, script: str = "app.py"
) -> subprocess.Popen:
    """`streamlit run SCRIPT` on 127.0.0.1:``port`` (not yet healthy), its output in ``log``.

    A file, not a pipe: a pipe nobody reads fills up and then blocks the server.
    """
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--server.runOnSave", "false",
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=dict(env), stdout=output, stderr=subprocess.STDOUT
        )
    process.log_path = log  # type: ignore[attr-defined]
    return process


def stop(process: subprocess.Popen | None) -> None:
    """Terminate one process we started, and wait for it (kill after 20 s)."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def running(
    db: Path,
    replicas: int = 2,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    with_nginx: bool = True,
) -> Iterator[Replicas]:
    """Start ``replicas`` replicas reading ``db`` and (``with_nginx``) nginx before them.

    Without nginx the URL is the first replica's. Everything started is stopped on exit.
    """
    nginx = ensure_nginx() if with_nginx else None
    environment = {**os.environ, "COUNCIL_DB": str(db), **(env or {})}
    environment.setdefault("COUNCIL_UPLOADS_DB", f"{db}.uploads")
    ports = [free_port() for _ in range(replicas)]
    processes: list[subprocess.Popen] = []
    front: subprocess.Popen | None = None
    with tempfile.TemporaryDirectory(prefix="council-nginx-") as work:
        try:
            workdir = Path(work)
            processes = [start_replica(p, environment, workdir / f"replica-{p}.log") for p in ports]
            urls = [f"http://127.0.0.1:{p}" for p in ports]
            for url, process in zip(urls, processes, strict=True):
                wait_healthy(url, process)
            url = urls[0]
            if nginx:
                listen = port or free_port()
                workdir.chmod(0o755)
                conf = workdir / "nginx.conf"
                conf.write_text(nginx_config(ports, listen, workdir))
                front = subprocess.Popen(
                    [nginx, "-p", str(workdir), "-c", str(conf), "-e", str(workdir / "error.log")],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
                front.log_path = workdir / "error.log"  # type: ignore[attr-defined]
                url = f"http://127.0.0.1:{listen}"
                wait_healthy(url, front, timeout=20)
            yield Replicas(url, urls, Path(db), processes, front)
        finally:
            stop(front)
            for process in processes:
                stop(process)


def replica_for(url: str, route: str) -> str:
    """Which replica nginx at ``url`` sends a browser whose cookie is ``route`` to."""
    request = urllib.request.Request(
        f"{url}/_stcore/health", headers={"Cookie": f"{COOKIE}={route}"}
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        return answer.headers[REPLICA_HEADER]


def main(argv: list[str] | None = None) -> int:
    """Start the replicas and nginx, print the URL, stop them all on Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m deploy.local_replicas", description=__doc__)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1")
    parser.add_argument("--db", type=Path, default=None, help="cache (default $COUNCIL_DB)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from council import first_start, store

    db = args.db or store.default_db_path()
    first_start.build_if_absent(db)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with running(db, args.replicas, args.port) as started:
            print(f"{started.url}  (replicas: {', '.join(started.replica_urls)}; Ctrl-C stops)")
            while all(p.poll() is None for p in [*started.processes, started.nginx]):
                time.sleep(1)
            print("a process ended; stopping the others", file=sys.stderr)
            return 1
    except NoNginx as error:
        print(f"cannot start nginx: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
