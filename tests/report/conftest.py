# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Session fixtures for the report tests: reports rendered once through the role and shared by the tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sys
from pathlib import Path

import pytest

# pytest runs with --import-mode=importlib, which leaves sys.path alone; the tests import their helpers by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_fixtures import BASE_SCENARIOS, gathered_data, render_report, scale_scenarios  # noqa: E402


@pytest.fixture(scope="session")
def base_gathered():
    return gathered_data(BASE_SCENARIOS)


@pytest.fixture(scope="session")
def base_report(base_gathered):
    return render_report("base", base_gathered)


@pytest.fixture(scope="session")
def scale_report():
    return render_report("scale-500", gathered_data(scale_scenarios(500)))


@pytest.fixture(scope="session")
def empty_report():
    return render_report("empty", gathered_data([]))
