# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Counts said in words, as the summaries, messages and the report print them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def counted(number, noun):
    """``3 workloads``, ``1 workload``: the number and the noun, plural unless the number is one."""
    return "%d %s%s" % (number, noun, "" if number == 1 else "s")
