# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline replacement for the get-pip bootstrap script that ansible-test downloads.

ansible-test creates every virtual environment without pip, then runs a get-pip script
from a host this network cannot reach. It looks for a cached copy first
(~/.ansible/test/cache/get_pip_<version>.py); this file is seeded there.

It runs the pip wheel that the interpreter's ensurepip would install (a wheel is importable
as a zip) and asks it to install the pip version ansible-test pinned, from the package
index. The flags --no-setuptools and --no-wheel belong to get-pip, not to pip: leaving
them out already means neither is installed.
"""

import glob
import os
import subprocess
import sys
import sysconfig

import ensurepip

GET_PIP_ONLY_FLAGS = {"--no-setuptools", "--no-wheel"}


def wheel_directories():
    # A python.org or pyenv build bundles the wheels inside ensurepip; Debian's python3-pip-whl
    # removes that folder and keeps them in WHEEL_PKG_DIR (/usr/share/python-wheels/), where its
    # patched ensurepip looks.
    yield os.path.join(os.path.dirname(ensurepip.__file__), "_bundled")
    wheel_package_dir = sysconfig.get_config_var("WHEEL_PKG_DIR")
    if wheel_package_dir:
        yield wheel_package_dir


def pip_wheel():
    searched = list(wheel_directories())
    for directory in searched:
        wheels = glob.glob(os.path.join(directory, "pip-*.whl"))
        if wheels:
            return max(wheels)
    raise SystemExit("get_pip_stub: no pip wheel for this Python in %s" % " or ".join(searched))


def main():
    pip_args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_FLAGS]
    pip_in_wheel = os.path.join(pip_wheel(), "pip")
    return subprocess.call([sys.executable, pip_in_wheel, "install", *pip_args])


if __name__ == "__main__":
    sys.exit(main())
