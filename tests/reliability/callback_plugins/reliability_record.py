# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback of the reliability suite: appends every task result, as a callback (and so AWX) receives it, to the
JSON-lines file named by RELIABILITY_RESULTS_FILE, so the tests can read task results without parsing screen output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible.plugins.callback import CallbackBase


def _warning_text(summary):
    event = getattr(summary, "event", None)
    return str(summary) if event is None else event.msg


def _traceback(summary):
    event = getattr(summary, "event", None) if summary else None
    return event.formatted_traceback if event is not None else None


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "reliability_record"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._path = os.environ.get("RELIABILITY_RESULTS_FILE")

    def _record(self, status, result):
        if not self._path:
            return
        data = dict(result.result)
        data.pop("warnings", None)
        data.pop("exception", None)
        record = {
            "task": result.task_name,
            "action": result.task.action,
            "host": result.host.get_name(),
            "status": status,
            "result": data,
            "warnings": [_warning_text(warning) for warning in result.warnings],
            # a Python traceback behind the failure, when Ansible captured one
            "traceback": _traceback(result.exception),
        }
        with open(self._path, "a") as stream:
            stream.write(json.dumps(record, default=str, sort_keys=True) + "\n")

    def v2_runner_on_ok(self, result):
        self._record("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record("failed", result)

    def v2_runner_on_unreachable(self, result):
        self._record("unreachable", result)

    def v2_runner_on_skipped(self, result):
        self._record("skipped", result)
