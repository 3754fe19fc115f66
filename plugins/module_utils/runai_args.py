# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Argument specs shared by the modules, as functions that return fresh dicts (a module may extend them safely).

Their documentation lives in plugins/doc_fragments/runai_auth.py and runai_wait.py; a unit test keeps both in step.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.errors import AnsibleFallbackNotFound


def env_fallback_if_set(*names):
    """The value of the first of these environment variables that is set and not empty.

    AWX and Automation Controller inject every variable of a credential type on every job, as an empty string when its
    field is empty; an empty variable must count as unset.
    """
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    raise AnsibleFallbackNotFound


# The v1 Phase enum of the API reference, in its order.
WORKLOAD_PHASES = [
    "Creating",
    "Initializing",
    "Resuming",
    "Pending",
    "Deleting",
    "Running",
    "Updating",
    "Stopped",
    "Stopping",
    "Degraded",
    "Failed",
    "Completed",
    "Terminating",
    "Unknown",
]


def connection_argument_spec():
    """The options that say where the Run:ai API is and how to authenticate; every module takes them."""
    return dict(
        # Not required=True: the client's own check names RUNAI_URL, which ansible-core's message would not.
        url=dict(type="str", fallback=(env_fallback_if_set, ["RUNAI_URL"])),
        token=dict(type="str", no_log=True, fallback=(env_fallback_if_set, ["RUNAI_TOKEN"])),
        client_id=dict(type="str", fallback=(env_fallback_if_set, ["RUNAI_CLIENT_ID"])),
        client_secret=dict(type="str", no_log=True, fallback=(env_fallback_if_set, ["RUNAI_CLIENT_SECRET"])),
        validate_certs=dict(type="bool", default=True, fallback=(env_fallback_if_set, ["RUNAI_VALIDATE_CERTS"])),
        ca_path=dict(type="path", fallback=(env_fallback_if_set, ["RUNAI_CA_PATH"])),
        request_timeout=dict(type="float", default=30),
        retries=dict(type="int", default=5),
    )


def wait_argument_spec():
    """The options of waiting for a workload's phase."""
    return dict(
        wait=dict(type="bool", default=False),
        wait_for=dict(type="list", elements="str", choices=WORKLOAD_PHASES),
        fail_on=dict(type="list", elements="str", choices=WORKLOAD_PHASES, default=["Failed"]),
        wait_timeout=dict(type="int", default=600),
        pending_timeout=dict(type="int"),
        wait_sleep=dict(type="float", default=2),
    )
