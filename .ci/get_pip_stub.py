# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline replacement for the get-pip bootstrap script that ansible-test downloads.

ansible-test creates every virtual environment without pip, then runs a get-pip script
from a host this network cannot reach. It looks for a cached copy first
(~/.ansible/test/cache/get_pip_<version>.py); this file is seeded there.

It runs the pip wheel that ships inside the standard library's ensurepip package (a
wheel is importable as a zip) and asks it to install the pip version ansible-test pinned,
from the package index. The flags --no-setuptools and --no-wheel belong to get-pip, not to
pip: leaving them out already means neither is installed.
"""

import glob
import os
import subprocess
import sys

import ensurepip

GET_PIP_ONLY_FLAGS = {"--no-setuptools", "--no-wheel"}


def bundled_pip_wheel():
    wheels = glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), "_bundled", "pip-*.whl"))
    if not wheels:
        raise SystemExit("get_pip_stub: this Python's ensurepip has no bundled pip wheel")
    return max(wheels)


def main():
    pip_args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_FLAGS]
    pip_in_wheel = os.path.join(bundled_pip_wheel(), "pip")
    return subprocess.call([sys.executable, pip_in_wheel, "install", *pip_args])


if __name__ == "__main__":
    sys.exit(main())
