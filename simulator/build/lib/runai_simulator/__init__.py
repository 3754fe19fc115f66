# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stateful simulator of the NVIDIA Run:ai control-plane API, the test and demo backend of runai.platform."""

__version__ = "0.1.0"
