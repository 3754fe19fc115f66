# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible's command-line tools run the way a user runs them, against a simulator: the one way every test suite and
benchmark of the collection runs them.

    user = AnsibleUser(tmp_path, collections)
    done = user.run(["ansible-playbook", "site.yml"], simulator=simulator)
    assert done.rc == 0, done.describe()

A run gets the caller's environment without any ANSIBLE_ or RUNAI_ setting and without PYTHONPATH, so that nothing of
the test run's own shell, and no source tree on its path, stands in for what is under test. On top of that: a private
HOME with Ansible's temporary and async directories in it, the tools of this Python first on PATH, the collection
from one collections directory only, and the simulator's connection as an AWX credential injects it. Extra variables
go through a file only this user may read, never the command line, which other users can see. Each run has its own
directory for its output, and the description of a run masks every secret it was given.
"""

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

COMMAND_TIMEOUT = 600
# How often a running command is looked at: its CPU time is read when it is reaped, so the wait polls.
_POLL_SECONDS = 0.005
# The variables whose values a run masks in its description.
SECRET_VARIABLES = ("RUNAI_CLIENT_SECRET", "RUNAI_TOKEN", "RUNAI_SIMULATOR_ADMIN_TOKEN")
_MASK = "********"


class CommandTimedOut(RuntimeError):
    """A command ran past its timeout; it and its process group were killed."""


def link_collection(directory, checkout):
    """Make `directory` a collections directory whose runai.platform is the `checkout`; returns `directory`."""
    directory = Path(directory)
    link = directory / "ansible_collections" / "runai" / "platform"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.is_symlink():
        link.symlink_to(Path(checkout).resolve(), target_is_directory=True)
    return directory


def _write_private(path, text):
    descriptor = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    return Path(path)


def _masked(text, secrets):
    for secret in secrets:
        text = text.replace(secret, _MASK)
    return text


@dataclass
class Finished:
    """A command that ran to completion: exit code, output, wall and CPU seconds (its whole process tree)."""

    argv: list
    rc: int
    stdout: str
    stderr: str
    wall: float
    cpu: float
    directory: Path
    secrets: tuple = ()

    @property
    def output(self):
        return self.stdout + self.stderr

    def describe(self, limit=6000):
        """The command, its exit code and the tail of its output, every secret it was given masked."""
        text = "%s exited %s after %.1f s\n--- stdout\n%s\n--- stderr\n%s" % (
            " ".join(self.argv[:4]), self.rc, self.wall, self.stdout, self.stderr)
        return _masked(text, self.secrets)[-limit:]


class Started:
    """A command running in its own process group."""

    def __init__(self, argv, process, directory, secrets, started):
        """`started`: the monotonic time just before the process was started."""
        self.argv, self.process, self.directory, self._secrets = argv, process, directory, secrets
        self._started = started
        self._usage = None

    def _reap(self, block):
        """The exit code once the process has ended (its resource usage kept), else None."""
        if self.process.returncode is None:
            pid, status, usage = os.wait4(self.process.pid, 0 if block else os.WNOHANG)
            if pid:
                self.process.returncode = os.waitstatus_to_exitcode(status)
                self._usage = usage
        return self.process.returncode

    def wait(self, timeout=COMMAND_TIMEOUT):
        """The Finished command; past `timeout` seconds it is killed and CommandTimedOut raised."""
        deadline = self._started + timeout
        while self._reap(block=False) is None:
            if time.monotonic() > deadline:
                self.terminate()
                raise CommandTimedOut("%s did not finish within %d s (its output is in %s)" % (
                    os.path.basename(self.argv[0]), timeout, self.directory))
            time.sleep(_POLL_SECONDS)
        wall = time.monotonic() - self._started
        cpu = self._usage.ru_utime + self._usage.ru_stime if self._usage else 0.0
        return Finished(self.argv, self.process.returncode, self._read("stdout.txt"), self._read("stderr.txt"),
                        wall, cpu, self.directory, self._secrets)

    def terminate(self, grace=15):
        """SIGTERM to the process group, SIGKILL after `grace` seconds."""
        if self._reap(block=False) is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while self._reap(block=False) is None:
            if time.monotonic() > deadline:
                os.killpg(self.process.pid, signal.SIGKILL)
                self._reap(block=True)
                return
            time.sleep(0.05)

    def _read(self, name):
        return (self.directory / name).read_text(encoding="utf-8", errors="replace")


class AnsibleUser:
    """A user of Ansible's command-line tools: a private home under `root`, this Python's tools, and the collections
    directory `collections` (one holding ansible_collections/runai/platform, or a list of directories)."""

    def __init__(self, root, collections, python=None):
        self.root = Path(root)
        self.home = self.root / "home"
        self.remote_tmp = self.home / ".ansible" / "tmp"
        self.collections = [Path(collections)] if isinstance(collections, (str, os.PathLike)) else [
            Path(directory) for directory in collections]
        self.python = Path(python or sys.executable)
        self._runs = itertools.count(1)
        self.home.mkdir(mode=0o700, parents=True, exist_ok=True)

    def tool(self, name):
        """The console script `name` installed beside this Python."""
        path = self.python.parent / name
        if not os.access(str(path), os.X_OK):
            raise FileNotFoundError("%s is not installed beside %s (it comes with test-requirements.txt)" % (
                name, self.python))
        return str(path)

    def settings(self, simulator=None, token=None):
        """What a run sets on top of the caller's cleaned environment (also what ansible-runner's `envvars` take)."""
        settings = {
            "PATH": os.pathsep.join((str(self.python.parent), os.environ.get("PATH", os.defpath))),
            "HOME": str(self.home),
            "ANSIBLE_COLLECTIONS_PATH": os.pathsep.join(str(directory) for directory in self.collections),
            "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
            "ANSIBLE_LOCAL_TEMP": str(self.home / ".ansible" / "local-tmp"),
            "ANSIBLE_REMOTE_TEMP": str(self.remote_tmp),
            # An async task's status is read where its wrapper wrote it; "~" could expand differently for the two.
            "ANSIBLE_ASYNC_DIR": str(self.home / ".ansible_async"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "false",
            "ANSIBLE_LOCALHOST_WARNING": "false",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        }
        if simulator is not None:
            settings.update(simulator.connection(token=token))
        return settings

    def environment(self, simulator=None, token=None, env=None):
        """The whole environment of a run; `env` sets more variables (a None value unsets one)."""
        environment = {key: value for key, value in os.environ.items()
                       if not key.startswith(("ANSIBLE_", "RUNAI_")) and key != "PYTHONPATH"}
        environment.update(self.settings(simulator, token))
        for key, value in (env or {}).items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = value
        return environment

    def run_directory(self):
        """A new directory for one run's files and output."""
        directory = self.root / ("run-%03d" % next(self._runs))
        directory.mkdir(mode=0o700)
        return directory

    def write(self, path, content):
        """`content` to a file only this user may read: text as it is, anything else as YAML (a playbook)."""
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        return _write_private(path, text)

    def start(self, args, *, simulator=None, token=None, env=None, environment=None, extra_vars=None,
              directory=None, cwd=None, secrets=()):
        """Start `args` (its first item a tool name, such as "ansible-playbook", or a path) in the background.

        `environment`: the whole environment, as `environment()` built it (default: built from `simulator`, `token`
        and `env`). `extra_vars`: passed with -e through a private file. `directory`: the run's directory (default:
        a new one); it is the working directory unless `cwd` is given. `secrets`: more values to mask."""
        directory = Path(directory) if directory is not None else self.run_directory()
        argv = [args[0] if os.sep in str(args[0]) else self.tool(args[0])] + [str(arg) for arg in args[1:]]
        if extra_vars is not None:
            argv += ["-e", "@%s" % _write_private(directory / "extra_vars.json", json.dumps(extra_vars))]
        if environment is None:
            environment = self.environment(simulator, token, env)
        hidden = tuple(value for value in [environment.get(name) for name in SECRET_VARIABLES] + list(secrets)
                       if value)
        with open(directory / "stdout.txt", "wb") as stdout, open(directory / "stderr.txt", "wb") as stderr:
            started = time.monotonic()
            process = subprocess.Popen(argv, cwd=str(cwd or directory), env=environment, stdin=subprocess.DEVNULL,
                                       stdout=stdout, stderr=stderr, start_new_session=True)
        return Started(argv, process, directory, hidden, started)

    def run(self, args, *, timeout=COMMAND_TIMEOUT, **options):
        """Run `args` to completion (the options of `start`); returns Finished, raises CommandTimedOut."""
        return self.start(args, **options).wait(timeout)
