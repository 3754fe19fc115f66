#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: runai_token
short_description: Exchange Run:ai application credentials for an API token, once, for the tasks that follow
version_added: 1.0.0
description:
  - Exchanges O(client_id) and O(client_secret) for a bearer token at C(POST /api/v1/token) and returns it, so that
    the tasks that follow can share one token (pass it as O(token) with C(module_defaults)) instead of each module
    run exchanging the credentials again.
  - Without client credentials, a given O(token) is returned as it is, with no request and an unknown lifetime.
  - It runs on the controller only, never as a module process, and its whole result is hidden from Ansible's output
    as with C(no_log), because the result is the token. Read RV(token) and RV(expires_at) from the registered
    variable.
  - The collection's roles use it through the C(runai.platform.api_token) role, which also reuses a token obtained
    earlier in the play while it stays valid.
author:
  - runai.platform contributors (@runai-platform)
extends_documentation_fragment:
  - runai.platform.runai_auth
  - runai.platform.attributes
attributes:
  check_mode:
    description: Runs in check mode too, because obtaining a token changes nothing and the reads of a check run need one.
    support: full
  diff_mode:
    description: Nothing is changed, so there is never a diff.
    support: none
  action:
    description: It is an action that runs on the controller; no module runs on the target.
    support: full
notes:
  - The client secret and the token never reach a module's arguments, so C(ANSIBLE_DEBUG) and
    C(ANSIBLE_KEEP_REMOTE_FILES) do not show them. The other modules of the collection receive O(token) and
    O(client_secret) through their environment on the local connection for the same reason.
seealso:
  - module: runai.platform.runai_workload
  - name: Run:ai API authentication
    description: How applications exchange credentials for a token.
    link: https://run-ai-docs.nvidia.com/self-hosted/2.21/reference/api/rest-auth
"""

EXAMPLES = r"""
- name: Exchange the credentials in RUNAI_URL, RUNAI_CLIENT_ID and RUNAI_CLIENT_SECRET once
  runai.platform.runai_token:
  register: runai_session

- name: Use that token for every task of the block
  module_defaults:
    group/runai.platform.runai:
      url: "{{ runai_session.url }}"
      token: "{{ runai_session.token }}"
  block:
    - name: Read the running workloads of team-a
      runai.platform.runai_workload_info:
        project: team-a
        phase: [Running]
      register: running

    - name: Count the failed workloads of team-a
      runai.platform.runai_workload_info:
        project: team-a
        phase: [Failed]
        count: true
      register: failed
"""

RETURN = r"""
token:
  description: The bearer token. Hidden from output; use it from the registered variable.
  returned: success
  type: str
expires_in:
  description: Seconds the token stays valid, as the API said; null when a given O(token) was returned unchanged.
  returned: success
  type: int
  sample: 3600
expires_at:
  description:
    - When the token expires, in seconds since the epoch, counted from just before the request was sent; null when
      unknown.
  returned: success
  type: float
  sample: 1796310000.5
url:
  description: The base URL the token is for, without a trailing slash.
  returned: success
  type: str
  sample: https://mycompany.run.ai
client_id:
  description: The client ID the token was issued to; null when a given O(token) was returned.
  returned: success
  type: str
  sample: my-automation
api:
  description: How many HTTP requests the task sent (0 or 1 plus retries), and how many of them were retries.
  returned: success
  type: dict
  contains:
    requests:
      description: HTTP requests sent.
      type: int
      sample: 1
    retries:
      description: Requests that repeated an earlier one after a 429, 502, 503, 504 or a broken connection.
      type: int
      sample: 0
"""
