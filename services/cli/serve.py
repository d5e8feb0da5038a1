"""`ami serve`: both services, the projector and (with --demo) the demo year, restarted when they die."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

from services.cli.context import env_with
from shared.config import load_settings

# uvicorn's own limits on slow clients: an idle kept-alive connection closes after 5 s, a request's headers may
# not grow beyond 16 KB nor take longer than 10 s (h11, not httptools: services/common/http_protocol.py);
# a body's pauses and pace are limited by the app (services/common/slow_clients.py).
HTTP_PROTOCOL = "services.common.http_protocol:GuardedH11Protocol"
UVICORN_LIMITS = ["--http", HTTP_PROTOCOL, "--timeout-keep-alive", "5", "--h11-max-incomplete-event-size", "16384",
                  "--timeout-graceful-shutdown", "10"]


def uvicorn_command(name: str, host: str, port: int, workers: int) -> list[str]:
    """One service's uvicorn, as `ami serve` starts it."""
    return [sys.executable, "-m", "uvicorn", "--factory", f"services.{name}.app:create_app", "--host", host,
            "--port", str(port), "--workers", str(workers), "--no-access-log", *UVICORN_LIMITS]


def cmd_serve(args) -> int:
    from shared.portal import open_portal

    env = env_with(args)
    settings = load_settings(env)
    open_portal(settings).close()  # create tables and the bootstrap events once, before the workers race
    host = args.host or settings.host
    services = [("reporting", args.reporting_port or settings.reporting_port),
                ("supervision", args.supervision_port or settings.supervision_port)]
    commands = []
    for name, port in services:
        commands.append(uvicorn_command(name, host, port, args.workers))
        print(f"{name}: http://{host}:{port}", flush=True)
    # the read models: one projector process follows both notification logs
    commands.append([sys.executable, "-m", "services.cli", "project", "--follow"])
    # the e-mail notifications: a scheduled, idempotent job (each message's event says it was sent)
    commands.append([sys.executable, "-m", "services.cli", "mail", "--follow"])
    # each process names its PostgreSQL connections, so pg_stat_activity shows who holds how many; the services
    # make their exports and year PDFs in a process of their own (services/common/heavy.py) unless told otherwise
    heavy = {"AMI_HEAVY_PROCESSES": env.get("AMI_HEAVY_PROCESSES") or "1"}
    envs = [dict(env, PGAPPNAME=f"ami-{name}", **heavy) for name, _ in services]
    envs += [dict(env, PGAPPNAME="ami-projector"), dict(env, PGAPPNAME="ami-mail")]
    procs = [subprocess.Popen(cmd, env=e) for cmd, e in zip(commands, envs, strict=True)]
    restart_at: dict[int, float] = {}  # process index -> when to start it again (backing off)
    failures: dict[int, list[float]] = {}
    # the demo year fills the store through the same intake path while the services already answer
    helpers = [subprocess.Popen([sys.executable, "-m", "services.cli", "demo"], env=env)] if args.demo else []

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    while not stopping:
        for i, p in enumerate(procs):
            if p.poll() is None or stopping:
                continue
            # a process that died (killed, crashed, no database while starting) is started again; what it
            # had acknowledged is stored, what it had not is rolled back by the store. A process that keeps
            # failing (the database is down) is started again less often, up to every 30 s, never given up.
            now = time.monotonic()
            if i not in restart_at:
                recent = failures[i] = [t for t in failures.get(i, []) if now - t < 120] + [now]
                delay = 0.0 if len(recent) == 1 else min(30.0, 2.0 ** (len(recent) - 1))
                restart_at[i] = now + delay
                print(f"Ein Dienst wurde beendet (Code {p.returncode}); er wird "
                      + (f"in {delay:.0f} s " if delay else "") + "neu gestartet.", file=sys.stderr, flush=True)
            if now >= restart_at[i]:
                del restart_at[i]
                procs[i] = subprocess.Popen(commands[i], env=envs[i])
        time.sleep(0.2)
    for p in procs + helpers:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.time() + 15
    for p in procs + helpers:
        try:
            p.wait(max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            p.kill()
    return code
