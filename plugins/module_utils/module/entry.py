# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The glue between AnsibleModule and the client: build the module with the shared options, create the client from its
parameters, and turn the collection's typed errors into ``fail_json`` in one place."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient, client_options
from ansible_collections.runai.platform.plugins.module_utils.api.errors import (
    RunaiApiError,
    RunaiError,
    RunaiMissingLibraryError,
)
from ansible_collections.runai.platform.plugins.module_utils.module.options import connection_argument_spec


def build_module(argument_spec, **module_kwargs):
    """An AnsibleModule with the connection options added to the module's own. The client checks that there are
    credentials, with a message that names the RUNAI_* variables, which ansible-core's required_one_of would not."""
    spec = connection_argument_spec()
    spec.update(argument_spec)
    return AnsibleModule(argument_spec=spec, **module_kwargs)


def client_from_module(module):
    return RunaiClient(warn=module.warn, register_secret=module.no_log_values.add, **client_options(module.params))


def run_module(module, work):
    """Run ``work(module, client)`` and exit with its result dict, or fail with the message of a collection error."""
    client = None
    try:
        client = client_from_module(module)
        result = work(module, client)
    except RunaiMissingLibraryError as error:
        module.fail_json(msg=missing_required_lib(error.library, reason=error.reason), exception=error.import_traceback)
    except RunaiError as error:
        fail_from_error(module, error, client)
    result["api"] = api_usage(client)
    module.exit_json(**result)


def api_usage(client):
    """How many HTTP requests and retries the task made: the figure that shows a flaky control plane in a result."""
    if client is None:
        return dict(requests=0, retries=0)
    return dict(requests=client.request_count, retries=client.retry_count)


def fail_from_error(module, error, client=None):
    """fail_json for a collection error: the message, the HTTP facts when there are any, and the error's details."""
    facts = dict(error.details)
    if isinstance(error, RunaiApiError):
        facts.update(status=error.status, method=error.method, path=error.path)
    facts["api"] = api_usage(client)
    module.fail_json(msg=str(error), **facts)
