# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reclaim_outcome filter: registered results in, the outcome out, and a clear error for anything else (the
outcome itself is tested with plugins/plugin_utils/reclaim.py)."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.runai.platform.plugins.filter.reclaim_outcome import FilterModule

RECLAIM_OUTCOME = FilterModule().filters()["reclaim_outcome"]
FOUND = {"workloads": [{"id": "1", "project": "team-a", "name": "idle", "gpus": 2}], "excluded": []}
BATCH = {"results": [{"id": "1", "project": "team-a", "name": "idle", "changed": True, "failed": False}]}


def test_the_filter_gives_the_outcome_of_the_registered_results():
    result = RECLAIM_OUTCOME(FOUND, BATCH, True, "delete")

    assert (result["workloads"], result["gpus"], result["check_mode"], result["action"]) == (1, 2, True, "delete")
    assert result["line"] == "Would reclaim 1 idle workload holding 2 GPUs by deleting: team-a/idle."


@pytest.mark.parametrize("arguments, problem", [
    (("not a result", BATCH), "registered results"),
    ((FOUND, None), "registered results"),
    ((FOUND, BATCH, False, "pause"), "action must be one of suspend, delete, not 'pause'"),
])
def test_anything_but_registered_results_and_a_known_action_fails_clearly(arguments, problem):
    with pytest.raises(AnsibleFilterError, match=problem):
        RECLAIM_OUTCOME(*arguments)
