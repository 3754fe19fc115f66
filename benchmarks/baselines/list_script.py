#!/usr/bin/env python3
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Baseline of the listing: every workload of the tenant, paged by hand with plain requests.

    RUNAI_URL=... RUNAI_CLIENT_ID=... RUNAI_CLIENT_SECRET=... python list_script.py

Exchanges the client credentials for a token, then follows the API's `next` offset 500 workloads at a time and
prints how many it read.
"""

import os
import sys

import requests

PAGE_SIZE = 500


def main():
    url = os.environ["RUNAI_URL"].rstrip("/")
    session = requests.Session()
    answer = session.post(url + "/api/v1/token", json={
        "grantType": "client_credentials", "clientID": os.environ["RUNAI_CLIENT_ID"],
        "clientSecret": os.environ["RUNAI_CLIENT_SECRET"]})
    answer.raise_for_status()
    session.headers["Authorization"] = "Bearer " + answer.json()["accessToken"]
    workloads = []
    offset = 0
    while True:
        response = session.get(url + "/api/v1/workloads", params={"offset": offset, "limit": PAGE_SIZE})
        response.raise_for_status()
        page = response.json()
        workloads.extend(page["workloads"])
        if not page["workloads"] or page.get("next") is None:
            break
        offset = page["next"]
    print("listed=%d" % len(workloads))
    return 0


if __name__ == "__main__":
    sys.exit(main())
