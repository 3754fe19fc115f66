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

    def per_task(name, value=lambda sample: sample.wall):
        """Seconds per task from the best rounds: (best loop - best empty play) / tasks."""
        return (harness.best(samples[name], value) - harness.best(floor, value)) / count

    def compare(mine, theirs, target, note=""):
        rounds = harness.median([(a.wall - base.wall) / (b.wall - base.wall)
                                 for a, b, base in zip(samples[mine], samples[theirs], floor)])
        cpu = per_task(mine, lambda sample: sample.cpu) / per_task(theirs, lambda sample: sample.cpu)
        results.add("%s / %s, per task" % (mine, theirs), per_task(mine) / per_task(theirs), target, detail=(
            "%.0f ms vs %.0f ms per task; round ratios median %.2f; cpu ratio %.2f; %d tasks x %d rounds%s" % (
                1000 * per_task(mine), 1000 * per_task(theirs), rounds, cpu, count, options.rounds, note)))

    compare("runai_workload", "ping", 1.5, "; empty play %.2f s" % harness.best(floor))
    compare("runai_workload", "uri", 1.0)
    compare("uri", "ping", None, "; what the alternative costs")
    results.add("requests per runai_workload task", samples["runai_workload"][-1].total_requests / float(count),
                unit="", detail="one filtered listing and one v2 read (bearer token given)")
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
