"""Serving a team: N Streamlit processes on loopback behind Debian's nginx, on one port.

:func:`start` renders ``deploy/nginx.conf.template`` into a run folder, starts the processes and
nginx, and waits until every one answers; :meth:`Team.stop` ends them. ``make serve-team`` (the
``serve-team`` command) runs it in the foreground; ``bench/bench_team.py`` and the tests start
teams of 1 and 2 processes the same way.

Each process is an ordinary ``streamlit run dashboard.py`` bound to 127.0.0.1 (only nginx reaches
it); nginx keeps a browser on one process (Streamlit's sessions, downloads and WebSocket live in
one process) and serves the atlas's content-hashed files from disk.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from . import config
from .errors import FrontlineError

TEMPLATE = config.ROOT / "deploy" / "nginx.conf.template"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")


def find_nginx() -> str:
    """The nginx binary, or an error saying how to install it."""
    for name in NGINX_CANDIDATES:
        found = shutil.which(name) or (name if os.access(name, os.X_OK) else None)
        if found:
            return found
    raise FrontlineError("nginx is not installed: on Debian, `apt-get install nginx` (make serve-team does it)")


def free_ports(n: int, host: str = "127.0.0.1") -> list[int]:
    """``n`` distinct free TCP ports on ``host``."""
    sockets, ports = [], []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind((host, 0))
            sockets.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in sockets:
            s.close()
    return ports


def render_config(listen: str, backend_ports: list[int], run_dir: Path, static_dir: Path = config.STATIC_DIR,
                  template: Path = TEMPLATE) -> str:
    """The nginx configuration for ``listen`` (``host:port``) in front of the processes on ``backend_ports``.

    >>> text = render_config("127.0.0.1:8080", [8511, 8512], Path("/run/fl"), Path("/srv/static"))
    >>> "listen 127.0.0.1:8080;" in text, "server 127.0.0.1:8512 max_fails=0;" in text, "{{" in text
    (True, True, False)
    """
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in backend_ports)
    text = template.read_text(encoding="utf-8")
    for key, value in {"run_dir": str(run_dir), "servers": servers, "listen": listen,
                       "static_dir": str(Path(static_dir).resolve())}.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@dataclass
class Team:
    """A running team: nginx's URL, its processes and where their logs are."""

    url: str
    run_dir: Path
    backends: list[tuple[subprocess.Popen, int]] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    def pids(self) -> list[int]:
        """The Streamlit processes' ids, in port order (for memory figures)."""
        return [proc.pid for proc, _ in self.backends]

    def stop(self) -> None:
        """End nginx and every process (SIGTERM, then SIGKILL after 10 s)."""
        procs = [p for p, _ in self.backends] + ([self.nginx] if self.nginx else [])
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def start(processes: int = 2, port: int = 8080, host: str = "127.0.0.1", run_dir: Path | None = None,
          allowed_hosts: tuple[str, ...] = (), env: dict | None = None, timeout: float = 90,
          script: str = "dashboard.py") -> Team:
    """Start ``processes`` Streamlit processes and nginx on ``host:port``; return when all answer."""
    if processes < 1:
        raise FrontlineError(f"--processes {processes}: give at least 1")
    nginx = find_nginx()
    run_dir = Path(run_dir or config.ROOT / ".team")
    run_dir.mkdir(parents=True, exist_ok=True)
    ports = free_ports(processes)
    # One cookie secret for all processes (XSRF and login cookies stay valid whichever process answers).
    base_env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
                "MALLOC_ARENA_MAX": "2", **(env or {})}
    hosts = ["localhost", "127.0.0.1", *([host] if host not in ("0.0.0.0", "::") else []), *allowed_hosts]
    host_flags = [arg for h in dict.fromkeys(hosts) for arg in ("--server.allowedHosts", h)]
    team = Team(url=f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}", run_dir=run_dir)
    try:
        for p in ports:
            with open(run_dir / f"streamlit-{p}.log", "wb") as log:  # the child keeps its own copy of the file
                proc = subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(p),
                     "--server.address", "127.0.0.1", "--server.headless", "true",
                     "--browser.gatherUsageStats", "false", *host_flags],
                    cwd=config.ROOT, env=base_env, stdout=log, stderr=subprocess.STDOUT)
            team.backends.append((proc, p))
        conf = run_dir / "nginx.conf"
        conf.write_text(render_config(f"{host}:{port}", ports, run_dir), encoding="utf-8")
        check = subprocess.run([nginx, "-t", "-q", "-c", str(conf), "-p", str(run_dir)], capture_output=True, text=True)
        if check.returncode:
            raise FrontlineError(f"{conf}: nginx refused the configuration: {check.stderr.strip()}")
        with open(run_dir / "nginx.log", "wb") as log:
            team.nginx = subprocess.Popen([nginx, "-c", str(conf), "-p", str(run_dir), "-g", "daemon off;"],
                                          stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + timeout
        for proc, p in team.backends:
            while not _healthy(f"http://127.0.0.1:{p}"):
                if proc.poll() is not None:
                    raise FrontlineError(f"the process on port {p} exited: see {run_dir}/streamlit-{p}.log")
                if time.monotonic() > deadline:
                    raise FrontlineError(f"the process on port {p} did not answer in {timeout:.0f} s")
                time.sleep(0.2)
        while not _healthy(team.url):
            if team.nginx.poll() is not None:
                raise FrontlineError(f"nginx exited: see {run_dir}/nginx.log and {run_dir}/error.log")
            if time.monotonic() > deadline:
                raise FrontlineError(f"nginx did not answer on {team.url} in {timeout:.0f} s")
            time.sleep(0.2)
    except BaseException:
        team.stop()
        raise
    return team
