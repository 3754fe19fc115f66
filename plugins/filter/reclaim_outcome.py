# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reclaim_outcome filter (documentation: reclaim_outcome.yml beside this file)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.runai.platform.plugins.plugin_utils.reclaim import RECLAIM_ACTIONS, outcome


def reclaim_outcome(found, batch, check_mode=False, action="suspend"):
    if not isinstance(found, dict) or not isinstance(batch, dict):
        raise AnsibleFilterError("reclaim_outcome takes the registered results of runai_idle_workload_info and of "
                                 "runai_workload (each a mapping, a skipped task's included).")
    if action not in RECLAIM_ACTIONS:
        choices = ", ".join(RECLAIM_ACTIONS)
        raise AnsibleFilterError("reclaim_outcome: action must be one of %s, not %r." % (choices, action))
    return outcome(found, batch, bool(check_mode), action)


class FilterModule:
    def filters(self):
        return {"reclaim_outcome": reclaim_outcome}
