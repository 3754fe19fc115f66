# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running the simulator under uvicorn: start-up, the ready file, the banner, and a clean stop on SIGTERM."""

import asyncio
import json
import os
import shlex
import signal
import sys

import uvicorn

from runai_simulator.app import Simulator, build_app
from runai_simulator.lifecycle import DELETED_VISIBLE_SECONDS
from runai_simulator.preload import preload
from runai_simulator.store import StateInUse


def uvicorn_config(app, host, port):
    """The server stack the simulator runs on; the benchmark runs its hello-world baseline on the same one."""
    return uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="off",
                          server_header=False)


def write_ready_file(path, content):
    """Write `content` as JSON to `path` atomically, readable by its owner only."""
    temporary = "%s.%d.tmp" % (path, os.getpid())
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(content, handle)
    os.replace(temporary, path)


def _url(host, port):
    return "http://%s:%d" % ("[%s]" % host if ":" in host else host, port)


def _stop(signum, frame):
    raise SystemExit(0)


async def _serve(server, on_ready):
    serving = asyncio.ensure_future(server.serve())
    while not server.started:
        if serving.done():
            break
        await asyncio.sleep(0.01)
    if server.started:
        port = server.servers[0].sockets[0].getsockname()[1]
        on_ready(port)
    await serving


def banner(config, url, workloads, secret_source, to_terminal):
    """The start-up text: where it listens, at which level, and an `export` line to paste into another shell.

    A generated secret is printed only to a terminal (the person who started this throw-away simulator), never into
    a pipe or a log file; a secret given in the environment is referred to by its variable, one given as an option
    not at all.
    """
    from runai_simulator.cli import ENV_CLIENT_SECRET, SECRET_FROM_ENVIRONMENT, SECRET_GENERATED

    exports = ["RUNAI_URL=%s" % shlex.quote(url), "RUNAI_CLIENT_ID=%s" % shlex.quote(config.client_id)]
    note = None
    if secret_source == SECRET_GENERATED and to_terminal:
        exports.append("RUNAI_CLIENT_SECRET=%s" % shlex.quote(config.client_secret))
        note = "the client secret was generated for this run"
    elif secret_source == SECRET_GENERATED:
        note = ("RUNAI_CLIENT_SECRET: generated, not printed because this output is not a terminal; it is in "
                "--ready-file, or set %s before starting" % ENV_CLIENT_SECRET)
    elif secret_source == SECRET_FROM_ENVIRONMENT:
        exports.append('RUNAI_CLIENT_SECRET="$%s"' % ENV_CLIENT_SECRET)
    else:
        note = "RUNAI_CLIENT_SECRET: the --client-secret you gave"
    deleted = ("%g s" % config.keep_deleted if config.keep_deleted is not None
               else "%g simulated s" % DELETED_VISIBLE_SECONDS)
    lines = ["Run:ai simulator listening on %s" % url,
             "  API level:     %s (v1 lag %g s, deleted workloads readable for %s, paging next = %s)" % (
                 config.api_level, config.v1_lag, deleted, config.next_style),
             "  client id:     %s" % config.client_id,
             "  state:         %s" % config.state,
             "  workloads:     %d" % workloads,
             "  admin routes:  %s/_simulator/ (admin token: in --ready-file, or set RUNAI_SIMULATOR_ADMIN_TOKEN)" % url,
             "To use it from another shell, paste:",
             "  export %s" % " ".join(exports)]
    if note:
        lines.append("  (%s)" % note)
    return "\n".join(lines)


def serve(config, secret_source, quiet=False):
    """Run until SIGTERM or SIGINT; returns the process exit code."""
    # uvicorn re-raises the signal it caught after its graceful shutdown; ending with SystemExit(0) makes that clean.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        sim = Simulator(config)
    except StateInUse as error:
        print("runai-simulator: %s" % error, file=sys.stderr)
        return 1
    try:
        if config.preload:
            preload(sim.registry, config.preload, config.client_id, sim.now(), config.speed)
        server = uvicorn.Server(uvicorn_config(build_app(sim), config.host, config.port))

        def on_ready(port):
            url = _url(config.host, port)
            if config.ready_file:
                write_ready_file(config.ready_file, {
                    "url": url, "client_id": config.client_id, "client_secret": config.client_secret,
                    "admin_token": config.admin_token, "pid": os.getpid(), "api_level": config.api_level})
            if not quiet:
                print(banner(config, url, len(sim.registry), secret_source, sys.stdout.isatty()), flush=True)

        asyncio.run(_serve(server, on_ready))
        if not server.started:
            print("runai-simulator: could not listen on %s:%s" % (config.host, config.port), file=sys.stderr)
            return 1
        return 0
    finally:
        sim.close()
