# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the bench_*.py scripts share: the simulator, running playbooks and scripts with their wall and CPU time,
interleaved rounds, request counts read from the simulator, and the rows of the result table.

Every figure is a ratio of two things measured side by side in one run. Variants run interleaved (A, B, C, then
B, C, A, ...) so that load from other processes weighs on each alike, and the figure compares each variant's best
round: such load only ever adds time, so the fastest round is the closest to the cost on a quiet machine. The median
of the per-round ratios and the ratio of CPU time (the measured process tree plus the simulator) are printed next to
it as cross-checks.
"""

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "simulator"))

from runai_simulator.testing import AnsibleUser, SimulatorProcess, link_collection  # noqa: E402

PLAYBOOKS = os.path.join(HERE, "playbooks")
BASELINES = os.path.join(HERE, "baselines")
# A command that outlives this is stuck, not slow: every benchmark stays bounded.
COMMAND_TIMEOUT_SECONDS = 900
TOKEN_ROUTE = "POST /api/v1/token"


def arguments(description, **defaults):
    """Command-line options every bench script takes; ``defaults`` are (full, quick) pairs of its sizes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="smaller sizes and one round, for a smoke run")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per figure (default 2, quick 1)")
    parser.add_argument("--results", help="append the result rows to this JSON-lines file (run_all.py reads it)")
    parser.add_argument("--collection", default=REPO,
                        help="collection checkout to measure (default: this repository)")
    for name, (full, _quick) in defaults.items():
        parser.add_argument("--" + name.replace("_", "-"), type=type(full),
                            help="default %s, quick %s" % defaults[name])
    options = parser.parse_args()
    for name, (full, quick) in defaults.items():
        if getattr(options, name) is None:
            setattr(options, name, quick if options.quick else full)
    if options.rounds is None:
        options.rounds = 1 if options.quick else 2
    return options


class Workspace(object):
    """A private directory with the collection linked in as runai.platform, and the Ansible user that runs there."""

    def __init__(self, collection):
        self.path = tempfile.mkdtemp(prefix="runai-bench-")
        self.user = AnsibleUser(self.path, link_collection(os.path.join(self.path, "collections"), collection))

    def file(self, name, content):
        """Write ``content`` (JSON when not a string) to a file only this user may read; return its path."""
        text = content if isinstance(content, str) else json.dumps(content)
        return str(self.user.write(os.path.join(self.path, name), text))

    def playbook(self, name, simulator, token=None, extra_vars=None):
        """``ansible-playbook`` on benchmarks/playbooks/<name>, or on a playbook of the collection given by its name
        (runai.platform.report), with the connection in the environment the way an AWX credential injects it: a
        bearer token when given, else the client credentials."""
        playbook = os.path.join(PLAYBOOKS, name) if name.endswith(".yml") else name
        return Command(self.user, ["ansible-playbook", playbook], self.user.environment(simulator, token), extra_vars)

    def script(self, name, simulator, *script_args):
        """A plain Python baseline script; it gets the same RUNAI_* environment as the modules."""
        return Command(self.user, [sys.executable, os.path.join(BASELINES, name)] + list(script_args),
                       self.user.environment(simulator), None)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        shutil.rmtree(self.path, ignore_errors=True)


class Command(object):
    """A command a benchmark runs round after round, in the workspace, with one environment it may adjust."""

    def __init__(self, user, args, environment, extra_vars):
        self._user, self._args, self.environment, self._extra_vars = user, args, environment, extra_vars

    def run(self):
        """Run to completion: (wall seconds, CPU seconds of the whole process tree, output). Raises on failure, with
        the output's tail and every secret masked."""
        finished = self._user.run(self._args, environment=self.environment, extra_vars=self._extra_vars,
                                  cwd=self._user.root, timeout=COMMAND_TIMEOUT_SECONDS)
        if finished.rc != 0:
            raise RuntimeError(finished.describe(4000))
        return finished.wall, finished.cpu, finished.output


def start_simulator(**flags):
    """A simulator for one benchmark; generous start-up time because a preload on a loaded machine is slow."""
    return SimulatorProcess(startup_timeout=600, quiet=True, **flags)


def cpu_seconds(pid):
    """User plus system CPU time a process has used so far (Linux /proc)."""
    with open("/proc/%d/stat" % pid) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# The project the benchmarks submit to, as the simulator seeds it.
PROJECT_NAME, PROJECT_ID = "team-a", "3"


def deployment_manifest(gpus=1):
    """A Deployment: it stays Running, so a wait ends on Running and never races a completion."""
    return {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": 1, "template": {"spec": {
        "containers": [{"name": "main", "image": "nvcr.io/nvidia/pytorch:24.05-py3",
                        "resources": {"limits": {"nvidia.com/gpu": gpus}}}]}}}}


def create_workloads(simulator, names, manifest):
    """Create workloads straight through the API (set-up, not measured); [{name, id}, ...]."""
    created = []
    for name in names:
        response = simulator.api("POST", "/api/v2/workloads", json={
            "metadata": {"name": name, "projectId": PROJECT_ID}, "manifest": manifest})
        response.raise_for_status()
        created.append({"name": name, "id": response.json()["metadata"]["id"]})
    return created


@contextlib.contextmanager
def api_latency(simulator, milliseconds):
    """Every API request of the simulator answers ``milliseconds`` later inside this block: a control plane across a
    network, where sequential calls wait one after the other and concurrent ones overlap."""
    simulator.admin("PUT", "/_simulator/faults", json={"latency_ms": milliseconds}).raise_for_status()
    try:
        yield
    finally:
        simulator.admin("DELETE", "/_simulator/faults").raise_for_status()


def delete_all_workloads(simulator):
    simulator.admin("POST", "/_simulator/reset").raise_for_status()


def check_recap(output, changed=None):
    """Fail unless the play ran without failures (and with ``changed`` changes, when given)."""
    recap = output[output.rfind("PLAY RECAP"):]
    if "failed=0" not in recap or (changed is not None and "changed=%d " % changed not in recap):
        raise RuntimeError("unexpected play outcome: %s" % recap.strip())


class Sample(object):
    """One timed run: wall and CPU seconds (client tree plus server), the API requests it sent, its output."""

    def __init__(self, wall, cpu, requests, output):
        self.wall, self.cpu, self.requests, self.output = wall, cpu, requests, output

    @property
    def total_requests(self):
        return self.requests["total"]

    def route(self, route):
        return self.requests["by_route"].get(route, 0)


def measure(simulator, command, prepare=None):
    """Run ``command`` once against ``simulator``, after ``prepare()`` (not timed); return a Sample."""
    if prepare is not None:
        prepare()
    simulator.forget_requests()
    server_before = cpu_seconds(simulator.pid)
    wall, cpu, output = command.run()
    server_cpu = cpu_seconds(simulator.pid) - server_before
    return Sample(wall, cpu + server_cpu, simulator.stats()["requests"], output)


def interleaved(variants, rounds, log_label=""):
    """Run every variant ``rounds`` times, rotating the order each round; {name: [Sample, ...]}.

    ``variants`` is a list of (name, callable returning a Sample)."""
    samples = dict((name, []) for name, _ in variants)
    for round_number in range(rounds):
        shift = round_number % len(variants)
        for name, run in variants[shift:] + variants[:shift]:
            sample = run()
            samples[name].append(sample)
            print("  %s round %d: %-22s %7.2f s wall %7.2f s cpu %6d requests" % (
                log_label, round_number + 1, name, sample.wall, sample.cpu, sample.total_requests), flush=True)
    return samples


def median(values):
    return statistics.median(values)


def best(samples, value=lambda sample: sample.wall):
    """The least-disturbed run: load from other processes only ever adds time."""
    return min(value(sample) for sample in samples)


class Results(object):
    """The rows a bench script prints and hands to run_all.py."""

    def __init__(self, benchmark, options):
        self.benchmark = benchmark
        self.results_file = options.results
        # Targets hold for the full sizes; a quick run's small sizes and single round only show that it all works.
        self.judged = not options.quick
        self.rows = []

    def add(self, figure, value, target=None, at_most=True, unit="x", detail=""):
        """One figure; ``target`` is an upper bound (``at_most``) or a lower bound; None is informational."""
        if target is None:
            status = "info"
        elif not self.judged:
            status = "quick"
        else:
            status = "met" if (value <= target if at_most else value >= target) else "MISSED"
        row = dict(benchmark=self.benchmark, figure=figure, value=value, unit=unit, status=status, detail=detail,
                   target=None if target is None else ("<= " if at_most else ">= ") + format_value(target, unit))
        self.rows.append(row)
        return row

    def compare(self, figure, mine, theirs, labels, target=None, at_most=True, note=""):
        """A row comparing two variants measured in the same rounds: the ratio of their best wall times, with the
        median of the per-round ratios and the ratio of CPU time (controller, modules, scripts and simulator)."""
        ratio = best(mine) / best(theirs)
        rounds = median([a.wall / b.wall for a, b in zip(mine, theirs)])
        cpu = best(mine, lambda sample: sample.cpu) / best(theirs, lambda sample: sample.cpu)
        detail = "%s %.2f s, %s %.2f s; round ratios median %.2f; cpu ratio %.2f; %d rounds%s" % (
            labels[0], best(mine), labels[1], best(theirs), rounds, cpu, len(mine), ("; " + note) if note else "")
        return self.add(figure, ratio, target, at_most, detail=detail)

    def finish(self):
        print()
        print_table(self.rows)
        if self.results_file:
            with open(self.results_file, "a") as handle:
                for row in self.rows:
                    handle.write(json.dumps(row) + "\n")
        return 0


def format_value(value, unit):
    if unit == "x":
        return "%.2fx" % value
    if unit == "ms":
        return "%.0f ms" % value
    if unit == "s":
        return "%.2f s" % value
    return ("%d" % value if float(value).is_integer() else "%.2f" % value) + (" " + unit if unit else "")


TABLE_HEADER = ("benchmark", "figure", "measured", "target", "status", "detail")


def _cells(rows):
    return [(row["benchmark"], row["figure"], format_value(row["value"], row["unit"]), row["target"] or "-",
             row["status"], row["detail"]) for row in rows]


def print_table(rows):
    lines = _cells(rows)
    widths = [max(len(str(line[index])) for line in lines + [TABLE_HEADER]) for index in range(len(TABLE_HEADER) - 1)]
    for line in [TABLE_HEADER] + lines:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)) + "  " + line[-1])


def markdown_table(rows):
    lines = ["| " + " | ".join(TABLE_HEADER) + " |", "|" + "---|" * len(TABLE_HEADER)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |" for line in _cells(rows)]
    return "\n".join(lines) + "\n"
