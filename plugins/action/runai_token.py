# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""runai_token runs on the controller only, never as a module process: a module's output passes through channels
that ANSIBLE_DEBUG prints raw, and this task's output is the token itself."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient, client_options
from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiError
from ansible_collections.runai.platform.plugins.module_utils.module.entry import api_usage
from ansible_collections.runai.platform.plugins.module_utils.module.options import connection_argument_spec


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    # Obtaining a token changes nothing, and a check run needs one for its reads.
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp  # unused, as in every action since ansible-core 2.12
        validation = ArgumentSpecValidator(connection_argument_spec()).validate(self._task.args)
        if validation.error_messages:
            result.update(failed=True, msg="; ".join(validation.error_messages))
            return result
        params = validation.validated_parameters
        warnings = []
        try:
            client = RunaiClient(warn=warnings.append, **client_options(params))
            asked_at = time.time()
            if params["client_id"] and params["client_secret"]:
                token, expires_in = client.issue_token()
            else:
                token, expires_in = params["token"], None
        except RunaiError as error:
            result.update(failed=True, msg=str(error), warnings=warnings)
            return result
        result.update(
            changed=False,
            token=token,
            expires_in=expires_in,
            # counted from before the request, so the token never expires earlier than this says
            expires_at=None if expires_in is None else asked_at + float(expires_in),
            url=client.base_url,
            client_id=params["client_id"],
            api=api_usage(client),
            warnings=warnings,
            # the whole result is hidden from output, as with no_log: it holds the token
            _ansible_no_log=True,
        )
        return result
