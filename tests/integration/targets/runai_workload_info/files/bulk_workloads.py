#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Creates or deletes many workloads straight through the API, for the paging test of runai_workload_info.

Usage: bulk_workloads.py create PREFIX COUNT PROJECT_ID | bulk_workloads.py delete PREFIX
The URL and client credentials come from RUNAI_URL, RUNAI_CLIENT_ID and RUNAI_CLIENT_SECRET (never from arguments,
so they stay out of process listings). Prints one JSON object: how many workloads were created or deleted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys

import requests

MAX_WORKLOADS = 5000
TIMEOUT_SECONDS = 10


def session_for(url):
    session = requests.Session()
    answer = session.post(url + "/api/v1/token", timeout=TIMEOUT_SECONDS, json={
        "grantType": "client_credentials",
        "clientID": os.environ["RUNAI_CLIENT_ID"],
        "clientSecret": os.environ["RUNAI_CLIENT_SECRET"],
    })
    answer.raise_for_status()
    session.headers["Authorization"] = "Bearer " + answer.json()["accessToken"]
    return session


def create(session, url, prefix, count, project_id):
    for number in range(1, count + 1):
        name = "%s%04d" % (prefix, number)
        manifest = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                    "spec": {"containers": [{"name": "main", "image": "busybox"}]}}
        answer = session.post(url + "/api/v2/workloads", timeout=TIMEOUT_SECONDS,
                              json={"metadata": {"name": name, "projectId": project_id}, "manifest": manifest})
        answer.raise_for_status()
    return count


def delete(session, url, prefix):
    ids = []
    offset = 0
    while offset is not None and len(ids) < MAX_WORKLOADS:
        answer = session.get(url + "/api/v1/workloads", timeout=TIMEOUT_SECONDS,
                             params={"filterBy": "name=^" + prefix, "offset": offset, "limit": 500})
        answer.raise_for_status()
        page = answer.json()
        ids.extend(workload["id"] for workload in page["workloads"])
        offset = page.get("next")
    for workload_id in ids:
        answer = session.delete(url + "/api/v2/workloads/" + workload_id, timeout=TIMEOUT_SECONDS)
        if answer.status_code != 404:
            answer.raise_for_status()
    return len(ids)


def main(arguments):
    url = os.environ["RUNAI_URL"].rstrip("/")
    session = session_for(url)
    if arguments[0] == "create":
        count = int(arguments[2])
        if not 0 < count <= MAX_WORKLOADS:
            raise SystemExit("COUNT must be 1 to %d" % MAX_WORKLOADS)
        print(json.dumps({"created": create(session, url, arguments[1], count, arguments[3])}))
    elif arguments[0] == "delete":
        print(json.dumps({"deleted": delete(session, url, arguments[1])}))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
