# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The connection options every module takes (plugins/module_utils/module/options.py connection_argument_spec).
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the Run:ai control plane, for example V(https://mycompany.run.ai).
      - Required. If not set, the value of the E(RUNAI_URL) environment variable is used.
    type: str
  token:
    description:
      - A bearer token issued by Run:ai, used as it is, for example one exchanged once at the start of a play and passed
        to every task through C(module_defaults).
      - When O(client_id) and O(client_secret) are set too, the token is used first and the credentials renew it if the
        server refuses it (401). Without them an expired token fails the task.
      - If not set, the value of the E(RUNAI_TOKEN) environment variable is used.
    type: str
  client_id:
    description:
      - Client ID of a Run:ai application or service account. Exchanged with O(client_secret) for a token once per
        module run at C(POST /api/v1/token); the token is renewed once if it expires during the run.
      - If not set, the value of the E(RUNAI_CLIENT_ID) environment variable is used.
    type: str
  client_secret:
    description:
      - Client secret that goes with O(client_id). Never logged or returned.
      - If not set, the value of the E(RUNAI_CLIENT_SECRET) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. Set to V(false) only for testing.
      - If not set, the value of the E(RUNAI_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - Path to a PEM bundle of the certificate authorities that signed the server's certificate.
      - Without it, the system's certificate store is used (E(SSL_CERT_FILE) and E(SSL_CERT_DIR) can point it
        elsewhere). An C(http://) proxy in E(HTTPS_PROXY) or E(HTTP_PROXY) is used unless E(NO_PROXY) exempts the host.
      - If not set, the value of the E(RUNAI_CA_PATH) environment variable is used.
    type: path
  request_timeout:
    description:
      - Seconds to wait for the server to answer one HTTP request.
    type: float
    default: 30
  retries:
    description:
      - How many times a request is repeated after a throttling or transient answer (429, 502, 503, 504) or a broken
        connection, with jittered exponential backoff that honours C(Retry-After). Each retry adds a warning.
      - A create is repeated only after a lookup by name proved that the first attempt did not land. V(0) disables retries.
      - A refused connection or a host name that does not resolve is retried once at most, whatever this says. It
        means that nothing answers at O(url), usually a wrong address, so the task fails within a second or two
        instead of after the whole backoff.
    type: int
    default: 5
notes:
  - "The modules talk to the API from the host they run on; run them on C(localhost) with C(connection: local)."
  - Connection options can be given once for a whole play with C(module_defaults) and the group
    C(group/runai.platform.runai).
  - On the local connection O(token) and O(client_secret) never become module arguments, which C(ANSIBLE_DEBUG) would
    print and C(ANSIBLE_KEEP_REMOTE_FILES) would keep on disk; the collection's action hands them to the module
    process through its environment (E(RUNAI_TOKEN), E(RUNAI_CLIENT_SECRET)) instead.
"""
