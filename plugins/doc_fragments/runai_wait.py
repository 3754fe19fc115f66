# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The options of waiting for a workload's phase (plugins/module_utils/module/options.py wait_argument_spec).
    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Whether to wait until the workload reaches one of the phases in O(wait_for) (with O(state=present)), or until it
        is gone (with O(state=absent)).
      - Check mode never waits.
    type: bool
    default: false
  wait_for:
    description:
      - Phases that end the wait successfully.
      - Default V(Running) for kinds that keep running (Deployment, InferenceService and the like); V(Running) or
        V(Completed) for run-to-completion kinds, so a job that finishes quickly is not missed.
    type: list
    elements: str
    choices: [Creating, Initializing, Resuming, Pending, Deleting, Running, Updating, Stopped, Stopping, Degraded,
              Failed, Completed, Terminating, Unknown]
  fail_on:
    description:
      - Phases that end the wait with a failure at once. The failure message gives the phase, its message and reason,
        the sync status and the pods' states.
    type: list
    elements: str
    choices: [Creating, Initializing, Resuming, Pending, Deleting, Running, Updating, Stopped, Stopping, Degraded,
              Failed, Completed, Terminating, Unknown]
    default: [Failed]
  wait_timeout:
    description:
      - Seconds to wait in all. On timeout the task fails with the last phase and message seen.
    type: int
    default: 600
  pending_timeout:
    description:
      - Seconds a workload may stay V(Pending) before the wait fails with the scheduler's reason, so that a workload that
        cannot be scheduled fails sooner than O(wait_timeout).
      - Not set means only O(wait_timeout) applies.
    type: int
  wait_sleep:
    description:
      - Seconds between two polls while waiting.
    type: float
    default: 2
"""
