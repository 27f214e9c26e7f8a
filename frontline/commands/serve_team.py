"""``serve-team``: several Streamlit processes behind Debian's nginx on one port, for a team."""

from __future__ import annotations

import signal
import time

from . import add_command


def register(sub) -> None:
    p = add_command(
        sub, "serve-team", help="serve the atlas to a team: N processes behind nginx on one port",
        description="Start --processes Streamlit processes on loopback and Debian's nginx in front of them on "
                    "--host:--port, with session affinity (a cookie), the atlas's files served from disk, and the "
                    "configuration rendered from deploy/nginx.conf.template into --run-dir. Runs until interrupted "
                    "(Ctrl-C), then stops them all. Curation stays off unless FRONTLINE_CURATION=on or "
                    "secrets.toml says so; beyond localhost, curators need a login provider (see the README).",
        example="python -m frontline serve-team --processes 2 --port 8080 --host 0.0.0.0 --allowed-host atlas.example.org",
    )
    p.add_argument("--processes", type=int, default=2, help="Streamlit processes (default 2; about one per core)")
    p.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    p.add_argument("--host", default="127.0.0.1", help="nginx's address (default 127.0.0.1; 0.0.0.0 for the network)")
    p.add_argument("--allowed-host", action="append", default=[], dest="allowed_hosts",
                   help="a host name browsers use to reach the server (repeatable); localhost is always allowed")
    p.add_argument("--run-dir", default=None, help="where the rendered configuration, logs and pid go (default .team/)")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import team as team_mod

    team = team_mod.start(args.processes, args.port, args.host, args.run_dir, tuple(args.allowed_hosts))
    print(f"Frontline is served on {team.url} by {args.processes} process(es) behind nginx "
          f"(configuration and logs in {team.run_dir}). Ctrl-C stops it.", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    try:
        while not stop and team.nginx.poll() is None and all(p.poll() is None for p, _ in team.backends):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        team.stop()
    return 0
