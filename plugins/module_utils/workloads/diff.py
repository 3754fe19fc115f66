# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How what the server stored compares with the desired workload: the stored side, the comparison ``desired is a
subset of stored`` after normalisation, and the diff. Pure functions, no HTTP.

Comparison rules (the module documentation repeats them for users):
- only keys the user wrote are compared; keys the server adds are ignored;
- the manifest's ``metadata.name`` and ``metadata.namespace`` are ignored: the server replaces them;
- a number and a string holding the same number are equal (``2`` and ``"2"``), as are a boolean and ``"true"``/``"false"``;
- under a ``resources`` key, Kubernetes quantities compare by value (``"1Gi"`` equals ``"1024Mi"``, ``0.5`` equals ``"500m"``);
- an empty mapping or list, or null, equals a missing key;
- lists of mappings match item by item regardless of order (by ``name`` when names are unique), lists of plain values
  compare in order.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re
from decimal import Decimal, InvalidOperation

from ansible_collections.runai.platform.plugins.module_utils.workloads.desired import MANAGED_METADATA


# Changing these needs a new workload: the API cannot change the stored kind, group and version.
IMMUTABLE_PATHS = (("metadata", "preemptibility"), ("manifest", "apiVersion"), ("manifest", "kind"))

_BINARY_SUFFIXES = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL_EXPONENTS = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_QUANTITY = re.compile(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$")


# -- the stored side --------------------------------------------------------------------------------------------------


def stored_manifest(workload):
    """The manifest the server kept as sent (rawManifest), or the one it applies when that is missing."""
    return workload.get("rawManifest") or workload.get("workloadManifest") or {}


def is_being_deleted(workload):
    """Whether a v1 or v2 workload object is deleted or on its way out."""
    metadata = workload.get("metadata") or {}
    return bool(
        workload.get("deletedAt")
        or metadata.get("deletedAt")
        or workload.get("desiredPhase") == "Deleted"
        or workload.get("phase") == "Deleting"
    )


def is_deletion_done(answer):
    """Whether a v2 GET answer ({workload, syncInfo}) says the deletion is complete.

    A deleted workload may stay readable for a while. Its sync status says when the deletion is done (``Deleted``;
    ``Deleting`` is not done yet); an answer without one is done once the workload is marked deleted.
    """
    status = (answer.get("syncInfo") or {}).get("status")
    if status:
        return status == "Deleted"
    return is_being_deleted(answer.get("workload") or {})


def is_answer_being_deleted(answer):
    """Whether a v2 GET answer shows a workload deleted or on its way out (its sync status included)."""
    status = (answer.get("syncInfo") or {}).get("status")
    return status in ("Deleting", "Deleted") or is_being_deleted(answer.get("workload") or {})


def desired_view(desired):
    return dict(metadata=dict(desired.metadata), manifest=desired.manifest)


def stored_view(workload, desired=None):
    """What the server stored, shaped like ``desired_view``; the manifest fields the server overwrites take the desired
    values so they never count as a change."""
    metadata = workload.get("metadata") or {}
    manifest = copy.deepcopy(stored_manifest(workload))
    if desired is not None:
        wanted_metadata = desired.manifest.get("metadata") or {}
        if isinstance(manifest.get("metadata"), dict):
            for key in ("name", "namespace"):
                manifest["metadata"].pop(key, None)
                if key in wanted_metadata:
                    manifest["metadata"][key] = wanted_metadata[key]
    return dict(
        metadata=dict((key, metadata.get(key)) for key in MANAGED_METADATA if metadata.get(key) is not None),
        manifest=manifest,
    )


# -- comparison -------------------------------------------------------------------------------------------------------


def parse_quantity(value):
    """A Kubernetes quantity (``"1Gi"``, ``"500m"``, ``2``, ``"1e3"``) as a Decimal, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if not isinstance(value, str):
        return None
    match = _QUANTITY.match(value.strip())
    if not match:
        return None
    number, suffix = Decimal(match.group(1)), match.group(2) or ""
    if suffix in _BINARY_SUFFIXES:
        return number * (Decimal(1024) ** _BINARY_SUFFIXES[suffix])
    if suffix in _DECIMAL_EXPONENTS:
        return number.scaleb(_DECIMAL_EXPONENTS[suffix])
    return number.scaleb(int(suffix[1:]))


def _as_number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def scalars_equal(desired, actual, quantities=False):
    if isinstance(desired, bool) or isinstance(actual, bool):
        return _as_bool(desired) is not None and _as_bool(desired) == _as_bool(actual)
    if desired == actual:
        return True
    if quantities:
        wanted, stored = parse_quantity(desired), parse_quantity(actual)
    else:
        wanted, stored = _as_number(desired), _as_number(actual)
    return wanted is not None and stored is not None and wanted == stored


def _as_bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _is_empty(value):
    return value is None or value == {} or value == []


def find_differences(desired, actual, path=(), quantities=False):
    """Paths (tuples of keys and list indexes) where ``desired`` is not found in ``actual``; empty when it is a subset."""
    if isinstance(desired, dict):
        if not isinstance(actual, dict):
            return [] if _is_empty(desired) and _is_empty(actual) else [path]
        differences = []
        for key, value in desired.items():
            inner = quantities or key == "resources"
            if key not in actual:
                if not _is_empty(value):
                    differences.append(path + (key,))
                continue
            differences.extend(find_differences(value, actual[key], path + (key,), inner))
        return differences
    if isinstance(desired, list):
        if not isinstance(actual, list):
            return [] if _is_empty(desired) and _is_empty(actual) else [path]
        if desired and all(isinstance(item, dict) for item in desired):
            differences = []
            for index, match in enumerate(match_items(desired, actual, quantities)):
                if match is None:
                    differences.append(path + (index,))
                else:
                    differences.extend(find_differences(desired[index], match, path + (index,), quantities))
            return differences
        if len(desired) != len(actual):
            return [path]
        differences = []
        for index, (wanted, stored) in enumerate(zip(desired, actual)):
            differences.extend(find_differences(wanted, stored, path + (index,), quantities))
        return differences
    if _is_empty(desired) and _is_empty(actual):
        return []
    if isinstance(actual, (dict, list)) or not scalars_equal(desired, actual, quantities):
        return [path]
    return []


def match_items(desired, actual, quantities=False):
    """For each desired mapping, the stored mapping it is compared with (or None): the one with the same unique
    ``name``, else the first unused one that contains it, else the next unused one in order."""
    candidates = [item for item in actual if isinstance(item, dict)]
    used = set()
    matches = [None] * len(desired)
    if _unique_names(desired) and _unique_names(candidates):
        by_name = dict((item["name"], position) for position, item in enumerate(candidates))
        for index, item in enumerate(desired):
            position = by_name.get(item["name"])
            if position is not None:
                matches[index] = position
                used.add(position)
    for index, item in enumerate(desired):
        if matches[index] is not None:
            continue
        for position, candidate in enumerate(candidates):
            if position not in used and not find_differences(item, candidate, quantities=quantities):
                matches[index] = position
                used.add(position)
                break
    leftovers = [position for position in range(len(candidates)) if position not in used]
    for index in range(len(desired)):
        if matches[index] is None and leftovers and "name" not in desired[index]:
            matches[index] = leftovers.pop(0)
    return [candidates[position] if position is not None else None for position in matches]


def _unique_names(items):
    names = [item.get("name") for item in items]
    return all(isinstance(name, str) for name in names) and len(set(names)) == len(names)


def project_onto(desired, actual, quantities=False):
    """``actual`` cut down to the keys of ``desired``, written like ``desired`` where the two are equal: the "before" of
    a diff whose "after" is ``desired``, so the two differ exactly where a change is due."""
    if not find_differences(desired, actual, quantities=quantities):
        return copy.deepcopy(desired)
    if isinstance(desired, dict) and isinstance(actual, dict):
        return dict(
            (key, project_onto(value, actual[key], quantities or key == "resources"))
            for key, value in desired.items()
            if key in actual
        )
    if isinstance(desired, list) and isinstance(actual, list) and desired and all(isinstance(i, dict) for i in desired):
        return [
            project_onto(item, match, quantities)
            for item, match in zip(desired, match_items(desired, actual, quantities))
            if match is not None
        ]
    return copy.deepcopy(actual)


def plan_update(desired, workload):
    """Compare the desired workload with the stored v2 object: (differences, immutable differences)."""
    differences = find_differences(desired_view(desired), stored_view(workload, desired))
    immutable = [path for path in differences if tuple(path[:2]) in IMMUTABLE_PATHS]
    return differences, immutable


def format_path(path):
    text = ""
    for part in path:
        text += ("[%d]" % part) if isinstance(part, int) else ((".%s" % part) if text else part)
    return text


# -- diff -------------------------------------------------------------------------------------------------------------


def _header(name, project):
    return "runai workload %s/%s" % (project or "?", name)


def diff_for_create(desired, project):
    after = dict(state="present", name=desired.name, project=project)
    # Metadata the task leaves to the platform is not shown as an empty "metadata": {}.
    after.update((key, value) for key, value in desired_view(desired).items() if value)
    return dict(before=dict(state="absent"), after=after, before_header=_header(desired.name, project),
                after_header=_header(desired.name, project))


def diff_for_update(desired, workload, project):
    after = desired_view(desired)
    before = project_onto(after, stored_view(workload, desired))
    return dict(before=before, after=after, before_header=_header(desired.name, project),
                after_header=_header(desired.name, project))


def diff_for_delete(name, workload, project):
    before = dict(state="present", name=name, project=project)
    if workload:
        before.update(stored_view(workload))
    return dict(before=before, after=dict(state="absent"), before_header=_header(name, project),
                after_header=_header(name, project))
