# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finds secrets in the output and files of a run, never printing one: a finding names the secret's label and the
place."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

# Matches a JSON Web Token (the simulator's and Run:ai's bearer tokens), whoever issued it.
JWT_PATTERN = re.compile(r"eyJ[A-Za-z0-9_\-+/]{8,}={0,2}\.[A-Za-z0-9_\-+/]{8,}={0,2}\.[A-Za-z0-9_\-+/]{8,}={0,2}")


class LeakScanner(object):
    """Finds secrets in text and files without ever printing them: a finding names the secret's label and the place."""

    def __init__(self, secrets=None, any_token=True):
        """``any_token``: also report any JWT, not only the known secrets (off for files other runs may have
        written, where another simulator's token is not this run's leak)."""
        self._secrets = {}
        self._any_token = any_token
        for label, value in (secrets or {}).items():
            self.add(label, value)

    def add(self, label, value):
        if value:
            self._secrets[value] = label

    def scan_text(self, where, text):
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        leaks = ["%s in %s" % (label, where) for value, label in self._secrets.items() if value in text]
        if self._any_token:
            leaks.extend(
                "a bearer token (JWT) in %s" % where
                for match in JWT_PATTERN.finditer(text)
                if match.group(0) not in self._secrets
            )
        return sorted(set(leaks))

    def scan_file(self, path):
        try:
            with open(path, "rb") as stream:
                return self.scan_text(str(path), stream.read())
        except OSError:
            return []

    def scan_tree(self, root, modified_since=None, skip=()):
        """Every regular file under root (modified at or after ``modified_since`` when given), minus ``skip`` paths."""
        leaks = []
        skip = set(str(path) for path in skip)
        for directory, subdirectories, files in os.walk(str(root)):
            subdirectories[:] = [name for name in subdirectories if os.path.join(directory, name) not in skip]
            for name in files:
                path = os.path.join(directory, name)
                try:
                    status = os.lstat(path)
                except OSError:
                    continue
                if not os.path.isfile(path) or os.path.islink(path):
                    continue
                if modified_since is not None and max(status.st_mtime, status.st_ctime) < modified_since:
                    continue
                leaks.extend(self.scan_file(path))
        return leaks
