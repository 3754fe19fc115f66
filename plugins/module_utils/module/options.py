# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The task options every module shares, as functions that return fresh dicts (a module may extend them safely), and
the checks of option values that an argument spec cannot express.

Their documentation lives in plugins/doc_fragments/runai_auth.py and runai_wait.py; a unit test keeps both in step.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible.module_utils.errors import AnsibleFallbackNotFound

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError


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


UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def check_uuid(option, value):
    """Refuse an identifier that is not a UUID before it is put in a URL."""
    if not UUID_PATTERN.match(str(value)):
        raise RunaiInputError(option, "'%s' is not a UUID (Run:ai ids look like 71f69d83-ba66-4822-adf5-55ce55efd210)."
                              % value)
    return str(value)


def check_at_least(option, value, minimum, hint=""):
    """Refuse a number below ``minimum`` (None passes: the option is unset), naming the option; the value otherwise."""
    if value is not None and value < minimum:
        raise RunaiInputError(option, "must be %s or more, not %s.%s" % (minimum, value, (" " + hint) if hint else ""))
    return value


def check_limit(limit):
    return check_at_least("limit", limit, 1, "Give the most items to return, or leave it unset for all.")


def refuse_options(params, options, reason):
    """Fail on the first of ``options`` the task set (a true or non-empty value), saying why it does not apply."""
    for option in options:
        value = params.get(option)
        if not (value is None or value is False or value in ([], {}, "")):
            raise RunaiInputError(option, "cannot be used %s." % reason)
