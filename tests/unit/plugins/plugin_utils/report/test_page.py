# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""report.html (plugins/plugin_utils/report/page.py): what the API sent is escaped, the chart data cannot end its
script element, and the numbers read as the tables show them."""

from __future__ import annotations

import json
import re

import pytest

from ansible_collections.runai.platform.plugins.plugin_utils.report.figures import DEFAULT_THRESHOLDS, report_data
from ansible_collections.runai.platform.plugins.plugin_utils.report.page import amount, duration, page

# A message with every character HTML must escape, and a name that tries to end a script element.
AWKWARD_MESSAGE = 'Unschedulable: 0/4 nodes available, node selector <none>; "nvidia.com/gpu" & more'
AWKWARD_NAME = "x</script><script>alert(1)</script>"
WINDOW = {"start": "2026-01-01T00:00:00Z", "end": "2026-01-02T00:00:00Z"}


@pytest.fixture(scope="module")
def html():
    workloads = [{"id": "id-1", "name": AWKWARD_NAME, "projectName": "team-<a>", "phase": "Pending",
                  "createdAt": "2026-01-01T01:00:00Z", "phaseMessage": AWKWARD_MESSAGE,
                  "workloadRequestedResources": {"gpu": {"request": 2.0}}}]
    data = report_data({"window": WINDOW, "workloads": workloads, "telemetry": [], "selection": {
        "projects": ["team-<a>"], "name_prefix": "", "phases": []}}, DEFAULT_THRESHOLDS)
    chart_items = json.dumps({"chart-phases": {"name": AWKWARD_NAME}})
    return page("Report <of> team-a", data, "<script>/* charting library */</script>", chart_items)


def test_what_the_api_sent_is_escaped(html):
    assert "node selector &lt;none&gt;; &quot;nvidia.com/gpu&quot; &amp; more" in html
    assert "<none>" not in html and "team-<a>" not in html and "team-&lt;a&gt;" in html
    assert "<title>Report &lt;of&gt; team-a</title>" in html


def test_nothing_from_the_api_can_end_a_script_element(html):
    assert html.count("</script>") == html.count("<script")
    items = re.search(r'<script type="application/json" id="chart-items">(.*?)</script>', html, re.S).group(1)
    assert json.loads(items) == {"chart-phases": {"name": AWKWARD_NAME}}


def test_the_page_is_offline_by_policy(html):
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in html
    assert not re.search(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=""", html, re.IGNORECASE)


def test_a_pending_workload_is_flagged_in_the_table(html):
    assert '<tr class="flagged">' in html and '<span class="flag long-pending">long-pending</span>' in html


@pytest.mark.parametrize("value, shown", [(None, "&ndash;"), (8.0, "8"), (0.0184, "0.018"), (0.0004, "&lt;0.001"),
                                          (2.345, "2.35"), (123.45, "123.5"), (12345.6, "12346")])
def test_amounts_keep_about_three_significant_digits(value, shown):
    assert amount(value) == shown


@pytest.mark.parametrize("seconds, shown", [(None, "&ndash;"), (45, "45 s"), (600, "10 min"), (7200, "2.0 h"),
                                            (3 * 86400, "3.0 d")])
def test_durations_pick_a_readable_unit(seconds, shown):
    assert duration(seconds) == shown
