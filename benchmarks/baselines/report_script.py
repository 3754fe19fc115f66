#!/usr/bin/env python3
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Baseline of the report: the data the workload_report role reads, fetched by a plain requests script.

    RUNAI_URL=... RUNAI_CLIENT_ID=... RUNAI_CLIENT_SECRET=... python report_script.py START END OUTPUT.json

Exchanges the client credentials for a token, lists the workloads created before END (newest first, at most
1000), reads the pods and the GPU utilization and memory over [START, END] (60 samples) of each workload, one
workload after the other, and the two telemetry groupings; then saves it all as JSON. It renders nothing.
"""

import json
import os
import sys

import requests

PAGE_SIZE = 500
WORKLOAD_LIMIT = 1000
POD_LIMIT = 5000
SAMPLES = 60


def main():
    start, end, output = sys.argv[1:4]
    url = os.environ["RUNAI_URL"].rstrip("/")
    session = requests.Session()
    answer = session.post(url + "/api/v1/token", json={
        "grantType": "client_credentials", "clientID": os.environ["RUNAI_CLIENT_ID"],
        "clientSecret": os.environ["RUNAI_CLIENT_SECRET"]})
    answer.raise_for_status()
    session.headers["Authorization"] = "Bearer " + answer.json()["accessToken"]

    def get(path, **params):
        response = session.get(url + path, params=params)
        response.raise_for_status()
        return response.json()

    def paged(path, key, limit, **params):
        items, offset = [], 0
        while len(items) < limit:
            page = get(path, offset=offset, limit=min(PAGE_SIZE, limit - len(items)), **params)
            items.extend(page[key])
            if not page[key] or page.get("next") is None:
                break
            offset = page["next"]
        return items

    workloads = paged("/api/v1/workloads", "workloads", WORKLOAD_LIMIT, filterBy="createdAt<=" + end,
                      sortBy="createdAt", sortOrder="desc")
    pods = [pod for workload in workloads
            for pod in paged("/api/v1/workloads/%s/pods" % workload["id"], "pods", POD_LIMIT)]
    metrics = dict((workload["id"], get("/api/v1/workloads/%s/metrics" % workload["id"],
                                        metricType="GPU_UTILIZATION,GPU_MEMORY_USAGE_BYTES", start=start, end=end,
                                        numberOfSamples=SAMPLES))
                   for workload in workloads)
    telemetry = [get("/api/v1/workloads/telemetry", telemetryType="GPU_ALLOCATION", groupBy="ProjectId"),
                 get("/api/v1/workloads/telemetry", telemetryType="WORKLOADS_COUNT", groupBy="Phase")]
    with open(output, "w") as handle:
        json.dump(dict(workloads=workloads, pods=pods, metrics=metrics, telemetry=telemetry), handle)
    with_data = sum(1 for answer in metrics.values() if any(m.get("values") for m in answer.get("measurements") or []))
    print("workloads=%d with_metrics=%d" % (len(workloads), with_data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
