# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The demo, run as verbosely as Ansible allows (-vvvv, ANSIBLE_DEBUG=1, kept remote files, --diff), leaves neither
the client secret nor any token the API issued in its output, its task results, or any file written under the work
tree or the home directory; and the simulator never logs them either.

Every token the API issues is known exactly: the demo speaks to the simulator through a proxy that records the tokens
crossing it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import secrets
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.reliability, pytest.mark.secrets]

REPO_ROOT = Path(__file__).resolve().parents[2]
# Never read: the machinery that runs these sessions, and the user's SSH keys. Neither is written by a playbook.
HOME_ENTRIES_NOT_READ = (".claude", ".ssh")
CAPTURED_OUTPUT = ("stdout.txt", "stderr.txt", "results.jsonl")


def test_the_demo_at_full_verbosity_leaks_no_secret(simulators, ansible, proxies, leak_scanner,
                                                    figures):
    client_secret = "demo-client-secret-%s" % secrets.token_hex(16)
    admin_token = "demo-admin-token-%s" % secrets.token_hex(16)
    simulator = simulators.start(client_secret=client_secret, admin_token=admin_token)
    proxy = proxies(simulator.url)
    # file times have a coarse resolution on some file systems
    started = time.time() - 2

    run = ansible.run(
        "runai.platform.demo",
        args=["-vvvv", "--diff"],
        connection=simulator.connection(url=proxy.url),
        env={"ANSIBLE_DEBUG": "1", "ANSIBLE_KEEP_REMOTE_FILES": "1"},
        check_leaks=False,
    )

    known = {"the client secret": client_secret, "the admin token": admin_token}
    for number, token in enumerate(sorted(proxy.tokens), 1):
        known["issued token %d" % number] = token
    outputs = leak_scanner(known)
    files = leak_scanner(known, any_token=False)
    real_home = Path(os.path.expanduser("~"))
    leaks = outputs.scan_text("stdout", run.stdout) + outputs.scan_text("stderr", run.stderr)
    leaks += outputs.scan_file(run.directory / "results.jsonl")
    leaks += outputs.scan_file(simulator.log_path)
    leaks += files.scan_tree(run.directory, skip=[run.directory / name for name in CAPTURED_OUTPUT])
    leaks += files.scan_tree(ansible.home)
    leaks += files.scan_tree(REPO_ROOT, modified_since=started, skip=[REPO_ROOT / ".git"])
    leaks += files.scan_tree(real_home, modified_since=started,
                             skip=[real_home / name for name in HOME_ENTRIES_NOT_READ])
    figures.add_leaks(leaks)

    assert proxy.tokens, "the demo obtained no token, so this test proved nothing:\n%s" % run.describe(3000)
    assert leaks == [], "secrets leaked: %s" % "; ".join(leaks)
    assert list(ansible.remote_tmp.glob("ansible-tmp-*")), "no remote files were kept, so they were not checked"
    assert run.rc == 0, run.describe(3000)
