# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The `runai-simulator` command: `serve` runs a simulator, `exec` runs a command against a throw-away one."""

import argparse
import os
import secrets
import subprocess
import sys

from runai_simulator import __version__
from runai_simulator.auth import restricted_app
from runai_simulator.config import (
    API_LEVELS, DEFAULT_CLIENT_ID, DEFAULT_TOKEN_TTL, NEWEST_API_LEVEL, NEXT_STYLES, REALISTIC, SimulatorConfig)
from runai_simulator.faults import STATUSES, FaultSettings

ENV_CLIENT_ID = "RUNAI_SIMULATOR_CLIENT_ID"
ENV_CLIENT_SECRET = "RUNAI_SIMULATOR_CLIENT_SECRET"
ENV_ADMIN_TOKEN = "RUNAI_SIMULATOR_ADMIN_TOKEN"
ENV_RESTRICTED_APPS = "RUNAI_SIMULATOR_RESTRICTED_APPS"
SECRET_GENERATED, SECRET_FROM_OPTION, SECRET_FROM_ENVIRONMENT = "generated", "option", "environment"


def _rate(text):
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("a rate is a number between 0 and 1")
    return value


def _positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError("must be greater than 0")
        return value
    return parse


def _non_negative(kind):
    def parse(text):
        value = kind(text)
        if value < 0:
            raise argparse.ArgumentTypeError("must not be negative")
        return value
    return parse


def _restricted(text):
    try:
        return restricted_app(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_serve_options(parser):
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    parser.add_argument("--port", type=_non_negative(int), default=8080, help="port, 0 for a free one (default 8080)")
    parser.add_argument("--state", default=":memory:", help="SQLite state file, or :memory: (default)")
    parser.add_argument("--speed", type=_positive(float), default=1.0,
                        help="lifecycle speed factor: every simulated duration is divided by it (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault injector (default 0)")
    parser.add_argument("--client-id", default=os.environ.get(ENV_CLIENT_ID, DEFAULT_CLIENT_ID),
                        help="client id of the app credentials (env %s, default %s)" % (ENV_CLIENT_ID, DEFAULT_CLIENT_ID))
    parser.add_argument("--client-secret", help="client secret (prefer env %s; random when unset)" % ENV_CLIENT_SECRET)
    parser.add_argument("--admin-token", help="token of the /_simulator admin routes (prefer env %s; random when "
                                              "unset)" % ENV_ADMIN_TOKEN)
    parser.add_argument("--token-ttl", type=_positive(int), default=DEFAULT_TOKEN_TTL,
                        help="lifetime of issued tokens in seconds (default %d)" % DEFAULT_TOKEN_TTL)
    parser.add_argument("--preload", type=_non_negative(int), default=0, help="create N workloads across projects")
    parser.add_argument("--ready-file", help="write {url, client_id, client_secret, admin_token, pid, api_level} here (mode "
                                             "0600) once the simulator accepts connections")
    parser.add_argument("--restricted-app", type=_restricted, action="append", default=[], metavar="ID:SECRET:PROJECTS",
                        help="an app allowed only in the named projects (comma-separated); repeatable; env %s "
                             "takes them separated by ';'" % ENV_RESTRICTED_APPS)
    parser.add_argument("--advanced-gpu-metrics", action="store_true",
                        help="serve the advanced per-GPU pod metrics (otherwise they are left out with a 207)")
    for status in STATUSES:
        parser.add_argument("--fault-%s-rate" % status, type=_rate, default=0.0,
                            help="share of API requests answered %s" % status)
    parser.add_argument("--retry-after", type=_non_negative(int), default=1,
                        help="Retry-After seconds sent with injected 429 and 503 (default 1)")
    parser.add_argument("--latency-ms", type=_non_negative(float), default=0.0, help="delay added to API requests")
    parser.add_argument("--drop-before-write-rate", type=_rate, default=0.0,
                        help="share of writes whose connection is closed before the write is applied")
    parser.add_argument("--drop-after-write-rate", type=_rate, default=0.0,
                        help="share of writes whose connection is closed after the write is committed")
    parser.add_argument("--api-level", choices=API_LEVELS,
                        help="control-plane level whose reference is served (default %s, the newest)" % NEWEST_API_LEVEL)
    parser.add_argument("--v1-lag", type=_non_negative(float), metavar="SECONDS",
                        help="wall-clock seconds before a v2 create, update or delete shows in the v1 views (list, "
                             "get, count); v2 syncInfo.status is Queued/Applying until then (default 0)")
    parser.add_argument("--keep-deleted", type=_non_negative(float), metavar="SECONDS",
                        help="wall-clock seconds a deleted workload still answers the v2 GET (200, Deleted, "
                             "deletedAt) before a 404 (default: 1 simulated second)")
    parser.add_argument("--next-style", choices=NEXT_STYLES,
                        help="what `next` of a paged v1 answer holds: the offset of the next page (default) or its "
                             "page index")
    parser.add_argument("--realistic", action="store_true",
                        help="preset: --api-level %s --v1-lag %g --keep-deleted %g; knobs given beside it win" % (
                            REALISTIC["api_level"], REALISTIC["v1_lag"], REALISTIC["keep_deleted"]))
    parser.add_argument("--quiet", action="store_true", help="print nothing at start")


def _levels_and_realism(arguments):
    """The level and consistency knobs: the explicit ones, else the --realistic preset's, else the defaults."""
    preset = REALISTIC if arguments.realistic else {}
    knobs = {}
    for name in ("api_level", "v1_lag", "keep_deleted", "next_style"):
        value = getattr(arguments, name)
        if value is None:
            value = preset.get(name)
        if value is not None:
            knobs[name] = value
    return knobs


def config_from(arguments):
    """(SimulatorConfig, where the client secret came from: SECRET_GENERATED, _FROM_OPTION or _FROM_ENVIRONMENT)."""
    client_secret = arguments.client_secret or os.environ.get(ENV_CLIENT_SECRET)
    source = (SECRET_FROM_OPTION if arguments.client_secret else
              SECRET_FROM_ENVIRONMENT if client_secret else SECRET_GENERATED)
    restricted = list(arguments.restricted_app)
    for spec in filter(None, os.environ.get(ENV_RESTRICTED_APPS, "").split(";")):
        restricted.append(restricted_app(spec))
    rates = {status: getattr(arguments, "fault_%s_rate" % status) for status in STATUSES}
    if sum(rates.values()) > 1:
        raise ValueError("the --fault-*-rate options add up to more than 1")
    faults = FaultSettings(seed=arguments.seed, status_rates=rates, retry_after_seconds=arguments.retry_after,
                           latency_ms=arguments.latency_ms, drop_before_write_rate=arguments.drop_before_write_rate,
                           drop_after_write_rate=arguments.drop_after_write_rate)
    config = SimulatorConfig(
        client_secret=client_secret or secrets.token_urlsafe(24),
        admin_token=arguments.admin_token or os.environ.get(ENV_ADMIN_TOKEN) or secrets.token_urlsafe(32),
        client_id=arguments.client_id, host=arguments.host, port=arguments.port, state=arguments.state,
        speed=arguments.speed, token_ttl=arguments.token_ttl, preload=arguments.preload,
        ready_file=arguments.ready_file, restricted_apps=restricted, faults=faults,
        advanced_gpu_metrics=arguments.advanced_gpu_metrics, **_levels_and_realism(arguments))
    return config, source


def _parser():
    parser = argparse.ArgumentParser(prog="runai-simulator", description=__doc__)
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)
    add_serve_options(commands.add_parser("serve", help="run the simulator until SIGTERM"))
    run = commands.add_parser("exec", help="run CMD against a simulator on a free loopback port, then stop it",
                              usage="runai-simulator exec [serve options] -- CMD [ARGS...]")
    add_serve_options(run)
    return parser


def _exec(serve_arguments, command):
    """Start a simulator, run `command` with RUNAI_URL and credentials in its environment, return its exit code."""
    from runai_simulator.testing import SimulatorProcess, SimulatorStartError

    try:
        simulator = SimulatorProcess(extra_args=serve_arguments)
        simulator.start()
    except SimulatorStartError as error:
        print("runai-simulator exec: %s" % error, file=sys.stderr)
        return 2
    try:
        environment = dict(os.environ, **simulator.connection(), **{ENV_ADMIN_TOKEN: simulator.admin_token})
        try:
            return subprocess.call(command, env=environment)
        except OSError as error:
            print("runai-simulator exec: cannot run %s: %s" % (command[0], error.strerror), file=sys.stderr)
            return 127
    finally:
        simulator.stop()


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    command = None
    if argv[:1] == ["exec"]:
        if "--" not in argv:
            if "-h" in argv or "--help" in argv:
                parser.parse_args(argv)  # prints the help of exec and exits 0
            parser.error("exec needs -- CMD [ARGS...]")
        split = argv.index("--")
        argv, command = argv[:split], argv[split + 1:]
        if not command:
            parser.error("exec needs a command after --")
    arguments = parser.parse_args(argv)
    try:
        config, secret_source = config_from(arguments)
    except ValueError as error:
        parser.error(str(error))
    if arguments.command == "exec":
        return _exec(argv[1:], command)
    from runai_simulator.server import serve

    return serve(config, secret_source=secret_source, quiet=arguments.quiet)
