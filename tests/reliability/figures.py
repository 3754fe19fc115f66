# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the reliability suite did, counted across pytest-xdist workers and printed at the end of the run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading


class Figures(object):
    """What the suite did, printed at the end of the run (and quoted in reports)."""

    def __init__(self):
        self.used = False
        self.faults_injected = 0
        self.retries_made = 0
        self.bad_inputs_tried = 0
        self.leaks = []
        self._lock = threading.Lock()

    def add(self, **counts):
        with self._lock:
            self.used = True
            for name, count in counts.items():
                setattr(self, name, getattr(self, name) + count)

    def add_leaks(self, leaks):
        with self._lock:
            self.used = True
            self.leaks.extend(leaks)

    def line(self):
        return "reliability: faults injected %d, retries made %d, bad inputs tried %d, leaks found %d" % (
            self.faults_injected, self.retries_made, self.bad_inputs_tried, len(self.leaks))

    def as_dict(self):
        return dict(used=self.used, faults_injected=self.faults_injected, retries_made=self.retries_made,
                    bad_inputs_tried=self.bad_inputs_tried, leaks=list(self.leaks))

    def merge(self, other):
        """Add the figures of another process (a pytest-xdist worker) to these."""
        if other.get("used"):
            self.add(faults_injected=other["faults_injected"], retries_made=other["retries_made"],
                     bad_inputs_tried=other["bad_inputs_tried"])
            self.add_leaks(other["leaks"])


FIGURES = Figures()
