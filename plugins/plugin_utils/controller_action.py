# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base of the actions that do their work on the controller rather than in a module process (the workload report,
the idle workload finder): one validation of their options, one client, and typed errors turned into a failed result
with the API usage and the warnings, as the modules' entry point does for the modules."""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.runai.platform.plugins.module_utils.api.client import RunaiClient, client_options
from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiError
from ansible_collections.runai.platform.plugins.module_utils.module.entry import api_usage
from ansible_collections.runai.platform.plugins.module_utils.module.options import connection_argument_spec


class RunaiControllerAction(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = False

    # The action's own options, beside the connection options every runai.platform task takes.
    ARGUMENT_SPEC: dict = {}
    MUTUALLY_EXCLUSIVE: list = []

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # unused, as in every action since ansible-core 2.12
        spec = dict(connection_argument_spec(), **self.ARGUMENT_SPEC)
        validation = ArgumentSpecValidator(spec, mutually_exclusive=self.MUTUALLY_EXCLUSIVE or None).validate(
            self._task.args)
        if validation.error_messages:
            result.update(failed=True, msg="; ".join(validation.error_messages))
            return result
        self.warnings: list = []
        self.client: RunaiClient | None = None
        try:
            result.update(self.act(validation.validated_parameters))
        except (RunaiError, OSError) as error:
            result.update(failed=True, msg=str(error))
        result.update(api=api_usage(self.client), warnings=self.warnings)
        return result

    def connect(self, params: dict) -> RunaiClient:
        """The client of this task, counted in the result's ``api``."""
        self.client = RunaiClient(warn=self.warnings.append, **client_options(params))
        return self.client

    def act(self, params: dict) -> dict:
        """The task's result from its validated options; raises RunaiError (or OSError) to fail."""
        raise NotImplementedError
