#!/usr/bin/env python3
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Report: the runai.platform.report playbook (api_token and the workload_report role's one runai_workload_report
task: workloads, their pods and GPU metrics, telemetry, then report.html, .csv and .json) over the preloaded
workloads, against a plain script that fetches the same data and saves it as JSON; and the size of report.html.

    python benchmarks/bench_report.py [--quick] [--workloads 200] [--latency-ms 20]

Targets (issues 8 and 17): the playbook <= 3x the script; report.html <= 1.5 MB for 200 workloads. The simulator preloads the workloads over the past week, so the
window is the last 7 days, where the ones that ran have GPU metrics. As in bench_batch_submit.py, both are timed
once more (one round) with --latency-ms added to every API request: the simulator answers far faster than a real
control plane.

The window is the same in every round, so the role would find its files already written as they should be (it then
writes nothing); the reports are deleted before each timed run (not timed), so that every run writes all three, into
an output directory that exists, as a recurring report does. The playbook writes to its default place, runai-report/
in the directory it runs in.
"""

import datetime
import json
import os
import re
import sys

import harness


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    options = harness.arguments(__doc__.split("\n\n")[0], workloads=(200, 50), latency_ms=(20, 20))
    results = harness.Results("report", options)
    count = options.workloads
    now = datetime.datetime.now(datetime.timezone.utc)
    start, end = iso(now - datetime.timedelta(days=7)), iso(now)
    with harness.start_simulator(preload=count) as simulator, harness.Workspace(options.collection) as workspace:
        output_dir = os.path.join(workspace.path, "runai-report")
        play = workspace.playbook("runai.platform.report", simulator, extra_vars=dict(
            workload_report_start=start, workload_report_end=end))
        script_output = os.path.join(workspace.path, "script.json")
        script = workspace.script("report_script.py", simulator, start, end, script_output)

        def run_play():
            sample = harness.measure(simulator, play, prepare=delete_reports)
            harness.check_recap(sample.output)
            with open(os.path.join(output_dir, "report.json")) as handle:
                gathered = json.load(handle)
            with_metrics = len(set(series["workload_id"] for series in gathered["series"] if series["values"]))
            check_counts("playbook", len(gathered["workloads"]), with_metrics, count)
            workloads_with_metrics.append(with_metrics)
            html_sizes.append(os.path.getsize(os.path.join(output_dir, "report.html")))
            return sample

        def run_script():
            sample = harness.measure(simulator, script)
            figures = re.search(r"workloads=(\d+) with_metrics=(\d+)", sample.output)
            check_counts("script", int(figures.group(1)), int(figures.group(2)), count)
            return sample

        def delete_reports():
            for name in ("report.html", "report.csv", "report.json"):
                if os.path.exists(os.path.join(output_dir, name)):
                    os.remove(os.path.join(output_dir, name))

        workloads_with_metrics, html_sizes = [], []
        samples = harness.interleaved([("playbook", run_play), ("script", run_script)], options.rounds, "report")
        with harness.api_latency(simulator, options.latency_ms):
            slow = harness.interleaved([("playbook", run_play), ("script", run_script)], 1,
                                       "report, %g ms latency," % options.latency_ms)

    play_samples, plain = samples["playbook"], samples["script"]
    results.compare("report playbook / plain script", play_samples, plain, ("playbook", "script"), 3.0,
                    note="%d workloads, %d with GPU metrics; %d requests each" % (
                        count, workloads_with_metrics[-1], plain[-1].total_requests))
    results.compare("report playbook / plain script, %g ms API latency" % options.latency_ms, slow["playbook"],
                    slow["script"], ("playbook", "script"), 3.0)
    results.add("report.html size, %d workloads" % count, html_sizes[-1] / 1e6, 1.5 if count >= 200 else None,
                unit="MB", detail="%d bytes, of which BokehJS about 1.27 MB" % html_sizes[-1])
    return results.finish()


def check_counts(who, workloads, with_metrics, expected):
    if workloads != expected or not with_metrics:
        raise RuntimeError("the %s read %d workloads (expected %d), %d with GPU metrics" % (
            who, workloads, expected, with_metrics))


if __name__ == "__main__":
    sys.exit(main())
