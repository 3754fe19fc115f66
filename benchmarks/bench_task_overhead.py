#!/usr/bin/env python3
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-task overhead: a loop of runai_workload tasks on existing, unchanged workloads, against the same loop of
ansible.builtin.ping (the floor of any module task) and of ansible.builtin.uri GETs of the same workloads.

    python benchmarks/bench_task_overhead.py [--quick] [--tasks 50] [--rounds 3]

Targets (issue 8): per task, runai_workload <= 1.5x ping and <= 1x uri. A task's cost is (loop wall time - the
same play with an empty loop) / tasks, so the play's start-up does not dilute the ratio. Every module call gets a
bearer token (RUNAI_TOKEN), the way the roles pass one.
"""

import sys

import harness


def main():
    options = harness.arguments(__doc__.split("\n\n")[0], tasks=(50, 10))
    results = harness.Results("task overhead", options)
    count = options.tasks
    with harness.start_simulator(speed=1000) as simulator, harness.Workspace(options.collection) as workspace:
        token = simulator.token()
        manifest = harness.deployment_manifest()
        workloads = harness.create_workloads(simulator, ["overhead-%03d" % index for index in range(count)], manifest)
        shared = dict(items=workloads, manifest=manifest, project=harness.PROJECT_NAME)
        plays = [
            ("start-up (0 tasks)", workspace.playbook("task_loop_ping.yml", simulator, token, dict(items=[]))),
            ("ping", workspace.playbook("task_loop_ping.yml", simulator, token, shared)),
            ("uri", workspace.playbook("task_loop_uri.yml", simulator, token, shared)),
            ("runai_workload", workspace.playbook("task_loop_workload.yml", simulator, token, shared)),
        ]

        def runner(command):
            def run():
                sample = harness.measure(simulator, command)
                harness.check_recap(sample.output, changed=0)
                return sample
            return run

        samples = harness.interleaved([(name, runner(command)) for name, command in plays], options.rounds,
                                      "overhead")

    floor = samples["start-up (0 tasks)"]

    def per_task(name, value):
        return [(value(sample) - value(base)) / count for sample, base in zip(samples[name], floor)]

    wall = dict((name, per_task(name, lambda sample: sample.wall)) for name in ("ping", "uri", "runai_workload"))
    cpu = dict((name, per_task(name, lambda sample: sample.cpu)) for name in ("ping", "uri", "runai_workload"))

    def ratio(mine, theirs, figures):
        return harness.median([a / b for a, b in zip(figures[mine], figures[theirs])])

    requests = samples["runai_workload"][-1].total_requests / float(count)
    detail = "%.0f ms/task vs ping %.0f ms, uri %.0f ms; start-up %.2f s; %d tasks x %d rounds" % (
        1000 * harness.median(wall["runai_workload"]), 1000 * harness.median(wall["ping"]),
        1000 * harness.median(wall["uri"]), harness.median_wall(floor), count, options.rounds)
    results.add("runai_workload / ping, per task", ratio("runai_workload", "ping", wall), 1.5, detail=detail)
    results.add("runai_workload / ping, per task (CPU)", ratio("runai_workload", "ping", cpu),
                detail="CPU of controller, module and simulator")
    results.add("runai_workload / uri, per task", ratio("runai_workload", "uri", wall), 1.0,
                detail="cpu ratio %.2f" % ratio("runai_workload", "uri", cpu))
    results.add("uri / ping, per task", ratio("uri", "ping", wall), detail="what the alternative costs")
    results.add("requests per runai_workload task", requests, unit="",
                detail="one filtered listing + one v2 read (token given)")
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
