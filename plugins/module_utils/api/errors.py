# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors raised by the collection's library code.

Only a module's entry point turns them into ``fail_json``; every message is written to tell the user what to change.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class RunaiError(Exception):
    """Base of every error the collection raises on purpose.

    ``details`` carries extra keys for the failed task's result (for example the last state seen before a wait timed out).
    """

    def __init__(self, message, details=None):
        super(RunaiError, self).__init__(message)
        self.message = message
        self.details = details or {}

    def __str__(self):
        return self.message


class RunaiInputError(RunaiError):
    """A task option is invalid; the message names the option."""

    def __init__(self, option, problem, details=None):
        super(RunaiInputError, self).__init__("Invalid value for option '%s': %s" % (option, problem), details)
        self.option = option


class RunaiMissingLibraryError(RunaiError):
    """A Python library the task needs is not installed where the module runs; ``library`` is its pip name and
    ``reason`` what it is needed for."""

    def __init__(self, library, reason, import_traceback):
        super(RunaiMissingLibraryError, self).__init__("%s is required %s" % (library, reason))
        self.library = library
        self.reason = reason
        self.import_traceback = import_traceback


class RunaiConnectionError(RunaiError):
    """The API could not be reached, or the connection broke before an answer arrived."""

    def __init__(self, message, method=None, path=None, request_sent=False, retryable=True, nothing_listening=False):
        super(RunaiConnectionError, self).__init__(message)
        self.method = method
        self.path = path
        # False when repeating cannot help (a TLS verification failure): the task fails at once.
        self.retryable = retryable
        # True when the connection was refused or the host name does not resolve: most likely a wrong 'url'.
        self.nothing_listening = nothing_listening
        # True when the request may have reached the server: a write may have landed although no answer came back.
        self.request_sent = request_sent


class RunaiApiError(RunaiError):
    """The API answered with an error status."""

    def __init__(self, message, status, method, path, server_message=None):
        super(RunaiApiError, self).__init__(message)
        self.status = status
        self.method = method
        self.path = path
        self.server_message = server_message


class RunaiBadRequestError(RunaiApiError):
    """400: the server refused the request as invalid."""


class RunaiAuthenticationError(RunaiApiError):
    """401: the credentials or the token were refused."""


class RunaiPermissionError(RunaiApiError):
    """403: the credentials are valid but may not do this."""


class RunaiNotFoundError(RunaiApiError):
    """404: the object does not exist (or is not visible to these credentials)."""


class RunaiConflictError(RunaiApiError):
    """409: the request conflicts with the stored state, such as a name already taken."""


class RunaiServerError(RunaiApiError):
    """429 or 5xx: the server failed or throttled, and retries did not help."""


class RunaiWaitError(RunaiError):
    """A workload reached a failure phase, or did not reach the wanted phase in time."""
