#!/usr/bin/env python3
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module start: the import time of each module of the collection as Ansible runs it (the AnsiballZ payload, whose
module_utils are imported from a zip without a bytecode cache), next to ansible.builtin.ping and ansible.builtin.uri.

    python benchmarks/bench_module_import.py [--quick] [--runs 7]

One play runs every module once with ANSIBLE_KEEP_REMOTE_FILES=1; each kept payload then runs again --runs times
(interleaved) under `python -X importtime`, and the figures are the least total over runs (load from other
processes only ever adds to an import). Requirement (issue 8): nothing heavy is imported at module load that the
run does not use; the watched imports below must not show up in these runs (a manifest given as a mapping, one
workload, one metric query).
"""

import glob
import os
import re
import subprocess
import sys
import time

import harness

# Imports a collection module may only make when the run needs them (lazily, inside the code that uses them).
WATCHED = {
    "yaml": "only for a manifest given as YAML (src or a string)",
    "concurrent.futures": "only for batches and parallel metric queries",
    "jinja2": "never in a module",
    "cryptography": "never: the client uses requests' TLS",
    "ansible.module_utils.urls": "never: the client uses requests",
}
MODULES = ("runai_workload", "runai_workload_info", "runai_pod_info", "runai_metrics_info")
REFERENCES = ("ping", "uri")
IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def parse_importtime(text):
    """(total self microseconds, {module: (self, cumulative) microseconds of its first import})."""
    total, imported = 0, {}
    for line in text.splitlines():
        match = IMPORT_LINE.match(line)
        if match:
            total += int(match.group(1))
            imported.setdefault(match.group(4), (int(match.group(1)), int(match.group(2))))
    return total, imported


def time_payload(path, environment):
    started = time.monotonic()
    completed = subprocess.run([sys.executable, "-X", "importtime", path], env=environment, capture_output=True,
                               text=True, timeout=harness.COMMAND_TIMEOUT_SECONDS)
    wall = time.monotonic() - started
    if '"failed": true' in completed.stdout or completed.returncode != 0:
        raise RuntimeError("%s failed: %s" % (os.path.basename(path), completed.stdout[-2000:]))
    total, cumulative = parse_importtime(completed.stderr)
    return wall, total, cumulative


def main():
    options = harness.arguments(__doc__.split("\n\n")[0], runs=(7, 2))
    results = harness.Results("module start", options)
    with harness.start_simulator(speed=1000) as simulator, harness.Workspace(options.collection) as workspace:
        token = simulator.token()
        manifest = harness.deployment_manifest()
        workload = harness.create_workloads(simulator, ["import-probe"], manifest)[0]
        play = workspace.playbook("module_payloads.yml", simulator, token, dict(
            workload=workload, manifest=manifest, project=harness.PROJECT_NAME))
        play.environment["ANSIBLE_KEEP_REMOTE_FILES"] = "1"
        harness.check_recap(play.run()[2], changed=0)
        payloads = dict(
            (name, glob.glob(os.path.join(play.environment["ANSIBLE_REMOTE_TEMP"], "*", "AnsiballZ_%s.py" % name))[0])
            for name in REFERENCES + MODULES)
        timings = dict((name, []) for name in payloads)
        names = list(payloads)
        for run in range(options.runs):
            for name in names[run % len(names):] + names[:run % len(names)]:
                timings[name].append(time_payload(payloads[name], play.environment))
        print("  payloads timed %d times each" % options.runs, flush=True)

    def least(name, index):
        return min(timing[index] for timing in timings[name])

    ping_import = least("ping", 1) / 1000.0
    ping_wall = least("ping", 0)
    for name in REFERENCES[1:] + MODULES:
        imported = least(name, 1) / 1000.0
        results.add("import time, %s" % name, imported, unit="ms", detail="ping %.0f ms; +%.0f ms, of which %s; "
                    "process %.0f ms (ping %.0f ms)" % (ping_import, imported - ping_import, breakdown(timings[name]),
                                                       1000 * least(name, 0), 1000 * ping_wall))
    unused = ["%s in %s (%s)" % (module, name, why) for name in MODULES for module, why in WATCHED.items()
              if module in timings[name][0][2]]
    results.add("heavy imports a run does not use", len(unused), 0, unit="",
                detail="; ".join(unused) or "none of: " + ", ".join(WATCHED))
    return results.finish()


def breakdown(runs):
    """Where a payload's import time goes, by least time over runs: the HTTP library (requests with urllib3 and the
    rest it pulls in, or Ansible's own urls) and the collection's code (compiled from the zip on every run)."""
    parts = {}
    for _wall, _total, imported in runs:
        figures = {
            "requests": imported.get("requests", (0, 0))[1],
            "ansible urls": imported.get("ansible.module_utils.urls", (0, 0))[1],
            "collection code": sum(own for module, (own, _) in imported.items()
                                   if module.startswith("ansible_collections.")),
        }
        for part, micros in figures.items():
            parts[part] = min(parts.get(part, micros), micros)
    return ", ".join("%s %.0f ms" % (part, micros / 1000.0) for part, micros in parts.items() if micros)


if __name__ == "__main__":
    sys.exit(main())
