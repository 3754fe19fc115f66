# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a user sees when the chart filter cannot run; the charts themselves are checked in tests/report (plotly)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sys

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.runai.platform.plugins.filter.workload_report_charts import workload_report_charts

EMPTY_REPORT = {
    "window": {"start": "2026-01-01T00:00:00Z", "end": "2026-01-02T00:00:00Z", "seconds": 86400},
    "workloads": [],
    "projects": [],
    "summary": {"phases": {}},
}


def test_without_plotly_the_error_names_the_package_and_how_to_install_it(monkeypatch):
    for name in [module for module in sys.modules if module == "plotly" or module.startswith("plotly.")]:
        monkeypatch.delitem(sys.modules, name)
    # None in sys.modules makes the next import of that name raise ImportError, as if it were not installed.
    monkeypatch.setitem(sys.modules, "plotly", None)
    with pytest.raises(AnsibleFilterError, match=r"needs the Python package 'plotly'.*pip install plotly"):
        workload_report_charts(EMPTY_REPORT)


@pytest.mark.parametrize("report", [[], {"workloads": []}, "report"])
def test_input_that_is_not_a_report_is_refused(report):
    with pytest.raises(
        AnsibleFilterError, match="expects the report figures that runai.platform.workload_report_data returns"
    ):
        workload_report_charts(report)
