# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Attributes every module shares.
    DOCUMENTATION = r"""
attributes:
  action_group:
    description: Use C(group/runai.platform.runai) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - runai.platform.runai
"""

    # For modules that only read: check mode changes nothing because nothing is ever changed.
    INFO_MODULE = r"""
attributes:
  check_mode:
    description: Can run in check mode and return the same information, since the module only reads.
    support: full
  diff_mode:
    description: The module changes nothing, so there is never a diff.
    support: none
"""
