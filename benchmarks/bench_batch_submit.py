#!/usr/bin/env python3
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Batch submission: workloads created and waited to Running through the workload_submit role (one batch task),
against a loop of single runai_workload tasks and against a plain requests script making the same calls in turn.

    python benchmarks/bench_batch_submit.py [--quick] [--workloads 200] [--loop-items 40] [--latency-ms 20]

Targets (issue 8): the role >= 20x faster than the loop and <= 2x the script; requests per workload for the
creation <= 1.1 plus the token exchange, and for an unchanged re-run <= 1.1. The simulator runs a fast lifecycle
(--speed 50000: Running 0.1 ms after creation, before the first poll can look; at 5000 a tenth of the first polls
still saw Pending and slept the 2 s poll interval), so the figures compare overheads, not waiting.
The simulator answers on loopback in about a millisecond, which no real control plane does; the role and the
script are timed once more (one round) with --latency-ms added to every API request (the simulator's latency fault).

The loop costs about one module start per workload, so it is timed on --loop-items workloads and scaled to
--workloads: start-up + (loop - start-up) x workloads / loop-items, where start-up is the same play with no
items. Set --loop-items to --workloads to time the whole loop (minutes).
"""

import sys

import harness

SPEED = 50000


def main():
    options = harness.arguments(__doc__.split("\n\n")[0], workloads=(200, 20), loop_items=(40, 10),
                                latency_ms=(20, 20))
    results = harness.Results("batch submit", options)
    count = options.workloads
    manifest = harness.deployment_manifest()
    serial = iter(range(1000))

    def batch(size):
        prefix = "batch-%02d" % next(serial)
        return dict(project=harness.PROJECT_NAME,
                    workloads=[{"name": "%s-%03d" % (prefix, index), "manifest": manifest} for index in range(size)])

    with harness.start_simulator(speed=SPEED) as simulator, harness.Workspace(options.collection) as workspace:
        def reset():
            harness.delete_all_workloads(simulator)

        def role_creation(then_rerun=False):
            workloads = batch(count)
            command = workspace.playbook("submit_role.yml", simulator, extra_vars=workloads)
            sample = harness.measure(simulator, command, prepare=reset)
            harness.check_recap(sample.output)
            check_running(simulator, workloads["workloads"])
            if then_rerun:
                reruns.append(harness.measure(simulator, command))
                harness.check_recap(reruns[-1].output, changed=0)
            return sample

        def script():
            command = workspace.script("submit_script.py", simulator, workspace.file("script.json", batch(count)))
            return harness.measure(simulator, command, prepare=reset)

        reruns = []
        samples = harness.interleaved([("role", lambda: role_creation(then_rerun=True)), ("script", script)],
                                      options.rounds, "submit")
        with harness.api_latency(simulator, options.latency_ms):
            slow = harness.interleaved([("role", role_creation), ("script", script)], 1,
                                       "submit, %g ms latency," % options.latency_ms)
        loop_items = min(options.loop_items, count)
        loop = harness.interleaved([
            ("loop start-up", lambda: harness.measure(simulator, workspace.playbook(
                "submit_loop.yml", simulator, extra_vars=batch(0)), prepare=reset)),
            ("loop", lambda: harness.measure(simulator, workspace.playbook(
                "submit_loop.yml", simulator, extra_vars=batch(loop_items)), prepare=reset)),
        ], 1, "submit")

    role, plain = samples["role"], samples["script"]
    start_up, measured_loop = loop["loop start-up"][0], loop["loop"][0]
    loop_wall = start_up.wall + (measured_loop.wall - start_up.wall) * count / float(loop_items)
    scaled = "" if loop_items == count else " (timed on %d items, scaled)" % loop_items
    results.add("loop / role (speed-up)", loop_wall / harness.best(role), 20, at_most=False,
                detail="loop of %d tasks %.1f s%s, role %.2f s" % (count, loop_wall, scaled, harness.best(role)))
    results.compare("role / plain script", role, plain, ("role", "script"), 2.0, note="%d workloads" % count)
    results.compare("role / plain script, %g ms API latency" % options.latency_ms, slow["role"], slow["script"],
                    ("role", "script"), 2.0)
    tokens = role[-1].route(harness.TOKEN_ROUTE)
    results.add("requests per workload, creation", (role[-1].total_requests - tokens) / float(count), 1.1, unit="",
                detail="plus %d token exchange(s); %s" % (tokens, top_routes(role[-1])))
    rerun_tokens = reruns[-1].route(harness.TOKEN_ROUTE)
    results.add("requests per workload, unchanged re-run", (reruns[-1].total_requests - rerun_tokens) / float(count),
                1.1, unit="", detail="plus %d token exchange(s); %s" % (rerun_tokens, top_routes(reruns[-1])))
    results.add("requests per workload, plain script", (plain[-1].total_requests - 1) / float(count), unit="",
                detail=top_routes(plain[-1]))
    return results.finish()


def check_running(simulator, workloads):
    """Fail unless every submitted workload exists and runs (read straight from the API, not from the role)."""
    names = set(workload["name"] for workload in workloads)
    listed = simulator.api("GET", "/api/v1/workloads", params={
        "filterBy": "projectId==%s" % harness.PROJECT_ID, "limit": 500}).json()["workloads"]
    running = [workload for workload in listed if workload["name"] in names and workload["phase"] == "Running"]
    if len(running) != len(names):
        raise RuntimeError("%d of %d submitted workloads run" % (len(running), len(names)))


def top_routes(sample):
    routes = sorted(sample.requests["by_route"].items(), key=lambda item: -item[1])
    return ", ".join("%s %d" % (route, number) for route, number in routes[:4])


if __name__ == "__main__":
    sys.exit(main())
