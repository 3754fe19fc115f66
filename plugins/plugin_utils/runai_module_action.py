# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action every runai.platform module runs through: the module itself, with its secrets kept out of its arguments.

A module's arguments are not private: ``ANSIBLE_DEBUG`` prints them and ``ANSIBLE_KEEP_REMOTE_FILES`` leaves them in
the module file on disk, whatever ``no_log`` says. So on the local connection, where these modules are meant to run,
``token`` and ``client_secret`` reach the module process through its environment (``RUNAI_TOKEN``,
``RUNAI_CLIENT_SECRET``, which the modules read when the options are not set), and are removed from its arguments.
Elsewhere (another connection, or become, which resets the environment) they stay arguments, as for any module.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import os

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

# Each secret option and the environment variable its module falls back to (module/options.py connection_argument_spec).
SECRET_OPTIONS = (("token", "RUNAI_TOKEN"), ("client_secret", "RUNAI_CLIENT_SECRET"))


@contextlib.contextmanager
def process_environment(variables):
    """This process's environment with ``variables`` set, as it was afterwards. The local connection starts the
    module process from this one, so the module inherits them; nothing prints a process's environment."""
    saved = dict((name, os.environ.get(name)) for name in variables)
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def split_secrets(module_args):
    """(the arguments without the secret options, {environment variable: secret}) for the options that are set."""
    arguments = dict(module_args)
    environment = {}
    for option, variable in SECRET_OPTIONS:
        value = arguments.pop(option, None)
        if value is not None:
            environment[variable] = str(value)
    return arguments, environment


class RunaiModuleAction(ActionBase):
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(RunaiModuleAction, self).run(tmp, task_vars)
        del tmp  # unused, as in every action since ansible-core 2.12
        wrap_async = self._task.async_val and not self._connection.has_native_async
        module_args, environment = dict(self._task.args), {}
        if self._connection.transport == "local" and not self._play_context.become:
            module_args, environment = split_secrets(module_args)
        with process_environment(environment):
            result = merge_hash(
                result, self._execute_module(module_args=module_args, task_vars=task_vars, wrap_async=wrap_async)
            )
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
