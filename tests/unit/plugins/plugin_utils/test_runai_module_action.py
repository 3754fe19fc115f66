# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action of every module: on the local connection the secrets reach the module through its environment, never
its arguments; elsewhere the arguments stay as given. (tests/reliability/test_secrets.py proves end to end that
ANSIBLE_DEBUG and kept module files then show no secret.)"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
from unittest import mock

import pytest

from ansible_collections.runai.platform.plugins.plugin_utils.runai_module_action import (
    RunaiModuleAction,
    process_environment,
    split_secrets,
)

ARGS = dict(url="https://runai.example.com", token="bearer-value", client_id="app", client_secret="shh", name="a")


class RecordingAction(RunaiModuleAction):
    """The action with the module run replaced by a record of what the module would have received."""

    def _execute_module(self, module_name=None, module_args=None, tmp=None, task_vars=None, persist_files=False,
                        delete_remote_tmp=None, wrap_async=False, ignore_unknown_opts=False):
        self.received = dict(args=dict(module_args),
                             environment=dict((name, os.environ.get(name))
                                              for name in ("RUNAI_TOKEN", "RUNAI_CLIENT_SECRET")))
        return dict(changed=False)

    def _remove_tmp_path(self, tmp_path, force=False):
        pass


def action_for(transport="local", become=False, args=None):
    task = mock.Mock(args=dict(ARGS if args is None else args), async_val=0, check_mode=False, action="runai_workload")
    connection = mock.Mock(transport=transport, has_native_async=False)
    connection._shell.tmpdir = None
    play_context = mock.Mock(become=become)
    # shared_loader_obj is required before ansible-core 2.19
    return RecordingAction(task, connection, play_context, loader=None, templar=None, shared_loader_obj=None)


@pytest.fixture
def clean_environment(monkeypatch):
    monkeypatch.delenv("RUNAI_TOKEN", raising=False)
    monkeypatch.setenv("RUNAI_CLIENT_SECRET", "from-the-outer-environment")


def test_on_the_local_connection_the_secrets_go_by_environment_only(clean_environment):
    action = action_for()

    action.run(task_vars={})

    assert action.received["args"] == dict(url="https://runai.example.com", client_id="app", name="a")
    assert action.received["environment"] == dict(RUNAI_TOKEN="bearer-value", RUNAI_CLIENT_SECRET="shh")
    # and the process is as it was, so the next task cannot inherit them
    assert "RUNAI_TOKEN" not in os.environ
    assert os.environ["RUNAI_CLIENT_SECRET"] == "from-the-outer-environment"


def test_an_option_left_out_keeps_the_environment_the_play_started_with(clean_environment):
    action = action_for(args=dict(url="https://runai.example.com", client_id="app", name="a"))

    action.run(task_vars={})

    assert action.received["environment"] == dict(RUNAI_TOKEN=None, RUNAI_CLIENT_SECRET="from-the-outer-environment")


@pytest.mark.parametrize("transport, become", [("ssh", False), ("local", True)])
def test_elsewhere_the_secrets_stay_arguments(clean_environment, transport, become):
    action = action_for(transport=transport, become=become)

    action.run(task_vars={})

    assert action.received["args"] == ARGS
    assert action.received["environment"]["RUNAI_TOKEN"] is None


def test_the_environment_is_restored_even_when_the_module_run_fails(clean_environment):
    with pytest.raises(RuntimeError):
        with process_environment({"RUNAI_TOKEN": "t", "RUNAI_CLIENT_SECRET": "s"}):
            raise RuntimeError("the module could not be started")
    assert "RUNAI_TOKEN" not in os.environ
    assert os.environ["RUNAI_CLIENT_SECRET"] == "from-the-outer-environment"


def test_split_secrets_takes_out_only_the_secret_options_that_are_set():
    arguments, environment = split_secrets(dict(url="u", token=None, client_secret="s", retries=2))
    assert arguments == dict(url="u", retries=2)
    assert environment == dict(RUNAI_CLIENT_SECRET="s")
