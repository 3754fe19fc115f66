#!/usr/bin/env python3
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Listing: runai_workload_info returning every one of the preloaded workloads, against a plain paging script.

    python benchmarks/bench_listing.py [--quick] [--workloads 10000] [--rounds 3]

Targets (issue 8): the play <= 1.5x the script, and no more listing requests than ceil(workloads / 500). Both
exchange the client credentials for a token once; the play also starts Ansible and carries every workload back to
the controller as the task's result. A loop of ansible.builtin.uri over the same pages shows what that costs in
Ansible without the collection. The same play with `fields` (six fields of each workload, what a usage report needs)
shows how much of the play's time is Ansible handling the values of its result; the judged figure stays the default.
Default play, `fields` play and script run once more with 20 ms added to every API request, as a control plane
across a network answers.
"""

import math
import re
import sys

import harness

PAGE_SIZE = 500
# A usage report's fields: about 8 values of the 80 or so of a whole workload.
REPORT_FIELDS = ["id", "name", "projectName", "phase", "createdAt", "allocatedResources.gpu"]


def main():
    options = harness.arguments(__doc__.split("\n\n")[0], workloads=(10000, 2000), latency_ms=(20, 20))
    results = harness.Results("listing", options)
    count = options.workloads
    with harness.start_simulator(preload=count) as simulator, harness.Workspace(options.collection) as workspace:
        def runner(command):
            def run():
                sample = harness.measure(simulator, command)
                listed = int(re.search(r"listed=(\d+)", sample.output).group(1))
                if listed != count:
                    raise RuntimeError("listed %d workloads, not %d" % (listed, count))
                return sample
            return run

        play, script = runner(workspace.playbook("list_all.yml", simulator)), runner(
            workspace.script("list_script.py", simulator))
        fields_play = runner(workspace.playbook("list_fields.yml", simulator, extra_vars=dict(
            report_fields=REPORT_FIELDS)))
        samples = harness.interleaved([
            ("runai_workload_info", play),
            ("script", script),
            ("with fields", fields_play),
            ("uri page loop", runner(workspace.playbook("list_uri.yml", simulator, extra_vars=dict(
                total=count, page_size=PAGE_SIZE)))),
        ], options.rounds, "listing")
        with harness.api_latency(simulator, options.latency_ms):
            slow = harness.interleaved([("runai_workload_info", play), ("script", script), ("with fields", fields_play)],
                                       1, "listing, %g ms latency," % options.latency_ms)

    module, plain = samples["runai_workload_info"], samples["script"]
    results.compare("runai_workload_info / plain script", module, plain, ("play", "script"), 1.5,
                    note="%d workloads" % count)
    results.compare("runai_workload_info fields=%d / plain script" % len(REPORT_FIELDS), samples["with fields"], plain,
                    ("play", "script"), note="%s of each workload; the script keeps them whole" % ", ".join(
                        REPORT_FIELDS))
    results.compare("runai_workload_info / uri page loop", module, samples["uri page loop"], ("play", "uri loop"),
                    note="the same pages through Ansible without the collection")
    for name, label in (("runai_workload_info", "runai_workload_info"),
                        ("with fields", "runai_workload_info fields=%d" % len(REPORT_FIELDS))):
        results.compare("%s / plain script, %g ms API latency" % (label, options.latency_ms), slow[name],
                        slow["script"], ("play", "script"))
    listings = module[-1].route("GET /api/v1/workloads")
    results.add("listing requests", listings, math.ceil(count / float(PAGE_SIZE)), unit="",
                detail="plus %d token exchange(s); the script sent %d" % (
                    module[-1].route(harness.TOKEN_ROUTE), plain[-1].route("GET /api/v1/workloads")))
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
