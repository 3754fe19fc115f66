#!/usr/bin/env python3
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Baseline of the batch submission: what a hand-written script does, sequentially, with plain requests.

    RUNAI_URL=... RUNAI_CLIENT_ID=... RUNAI_CLIENT_SECRET=... python submit_script.py WORKLOADS.json

WORKLOADS.json holds {"project": name, "workloads": [{"name", "manifest"}, ...]}. The script exchanges the client
credentials for a token, resolves the project, lists its workloads once to skip those that exist, then creates each
missing workload and polls it until it runs, one after the other: the calls the collection makes, without Ansible.
"""

import json
import os
import sys
import time

import requests

POLL_SECONDS = 2.0
TIMEOUT_SECONDS = 600


def main():
    with open(sys.argv[1]) as handle:
        batch = json.load(handle)
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

    project = get("/api/v1/org-unit/projects", filterBy="name==" + batch["project"])["projects"][0]
    existing = set()
    offset = 0
    while True:
        page = get("/api/v1/workloads", filterBy="projectId==%s" % project["id"], offset=offset, limit=500)
        existing.update(workload["name"] for workload in page["workloads"])
        if not page["workloads"] or page.get("next") is None:
            break
        offset = page["next"]
    for workload in batch["workloads"]:
        if workload["name"] in existing:
            continue
        response = session.post(url + "/api/v2/workloads", json={
            "metadata": {"name": workload["name"], "projectId": str(project["id"])}, "manifest": workload["manifest"]})
        response.raise_for_status()
        workload_id = response.json()["metadata"]["id"]
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while get("/api/v1/workloads/" + workload_id).get("phase") != "Running":
            if time.monotonic() > deadline:
                sys.exit("workload %s did not reach Running" % workload["name"])
            time.sleep(POLL_SECONDS)
    print("submitted %d workloads" % len(batch["workloads"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
