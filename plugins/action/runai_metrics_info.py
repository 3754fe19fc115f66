# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runai.platform.plugins.plugin_utils.runai_module_action import RunaiModuleAction


class ActionModule(RunaiModuleAction):
    """Runs the runai_metrics_info module with its secrets passed through the environment, not its arguments."""
