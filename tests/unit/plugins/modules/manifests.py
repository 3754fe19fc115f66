# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The manifest runai_workload's tests submit, on scripted HTTP (tests/unit) and against the simulator
(tests/modules)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

JOB = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "metadata": {"name": "train"},
    "spec": {"template": {"spec": {"restartPolicy": "Never",
                                   "containers": [{"name": "main", "image": "pytorch:2.4"}]}}},
}
