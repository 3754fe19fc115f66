# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the event-driven tests: workloads scripted to fail or complete, and out-of-band reads of the simulator."""

import re
from datetime import datetime

# Lifecycles run this many times faster than real time: Creating 0.2 s, Pending 0.3 s.
SPEED = 10.0
# A JSON Web Token, whoever issued it (the simulator's tokens are JWTs).
JWT_PATTERN = re.compile(r"eyJ[A-Za-z0-9_\-+/]{8,}={0,2}\.[A-Za-z0-9_\-+/]{8,}={0,2}\.[A-Za-z0-9_\-+/]{8,}={0,2}")


def job(name, fail_after=None, complete_after=None, project_id="1"):
    """A v2 create body for a Job the simulator fails or completes ``*_after`` simulated seconds after its creation
    (annotations the simulator reads and the real platform ignores)."""
    annotations = {}
    if fail_after is not None:
        annotations["simulator.run.ai/fail-after"] = str(fail_after)
    if complete_after is not None:
        annotations["simulator.run.ai/complete-after"] = str(complete_after)
    manifest = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, "annotations": annotations},
                "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never", "containers": [
                    {"name": "main", "image": "nvcr.io/nvidia/pytorch:24.05-py3",
                     "resources": {"limits": {"nvidia.com/gpu": 1}}}]}}}}
    return {"metadata": {"name": name, "projectId": project_id}, "manifest": manifest}


def create(sim, name, **kwargs):
    response = sim.api("POST", "/api/v2/workloads", json=job(name, **kwargs))
    assert response.status_code == 202, response.text
    return response.json()["metadata"]["id"]


def workload(sim, workload_id):
    """The v1 workload as the API shows it, read with the test's own token (out of band)."""
    response = sim.api("GET", "/api/v1/workloads/" + workload_id)
    assert response.status_code == 200, response.text
    return response.json()


def moment(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
