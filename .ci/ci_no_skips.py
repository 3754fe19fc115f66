# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest plugin (-p ci_no_skips, with .ci on PYTHONPATH): under CI=true a skipped test fails the run.

A skip hides a missing tool or package; CI installs everything the tests need, so there a skip is a defect. A
developer's local run keeps its skips, and pytest's -rs summary prints why each one was skipped."""

import os

import pytest


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if not os.environ.get("CI") or hasattr(session.config, "workerinput"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line("CI: %d test(s) skipped; in CI every test must run (see the skip reasons above)" % len(skipped),
                            red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        reporter.write_line("CI: pytest collected no tests", red=True)
