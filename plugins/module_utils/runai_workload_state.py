# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a workload should look like, and how that compares with what the server stored.

Pure functions: the desired request built from task options (manifest parsing and input checks included), the
comparison ``desired is a subset of stored`` after normalisation, the request bodies and the diff. No HTTP here.

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
import json
import re
import traceback
from collections import namedtuple
from decimal import Decimal, InvalidOperation

from ansible_collections.runai.platform.plugins.module_utils.runai_errors import (
    RunaiInputError,
    RunaiMissingLibraryError,
)

# A workload name becomes a Kubernetes object name in the project namespace: a DNS-1123 label.
NAME_PATTERN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
NAME_MAX_LENGTH = 63
# The reference's limit on manifestBase64Encoded.
MANIFEST_MAX_BASE64_CHARS = 2097152

PRIORITIES = ["very-low", "low", "medium-low", "medium", "medium-high", "high", "very-high"]
PREEMPTIBILITIES = ["preemptible", "non-preemptible"]
# Metadata the user may manage, and the part of it that PUT can change.
MANAGED_METADATA = ("priority", "category", "preemptibility")
UPDATABLE_METADATA = ("priority", "category")
# Changing these needs a new workload: the API cannot change the stored kind, group and version.
IMMUTABLE_PATHS = (("metadata", "preemptibility"), ("manifest", "apiVersion"), ("manifest", "kind"))

_BINARY_SUFFIXES = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL_EXPONENTS = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_QUANTITY = re.compile(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$")

DesiredWorkload = namedtuple("DesiredWorkload", ["name", "metadata", "manifest"])


# -- input ----------------------------------------------------------------------------------------------------------


def validate_workload_name(name, option="name"):
    if not name:
        raise RunaiInputError(option, "a workload name is required.")
    if len(name) > NAME_MAX_LENGTH or not NAME_PATTERN.match(name):
        raise RunaiInputError(
            option,
            "'%s' is not a name Kubernetes accepts: use at most %d lowercase letters, digits and '-', starting and "
            "ending with a letter or digit." % (name, NAME_MAX_LENGTH),
        )
    return name


def _yaml_loader():
    """A safe YAML loader that keeps timestamps as strings, as Kubernetes reads them, so a manifest stays JSON.

    Imported on first use: a manifest given as a mapping needs no YAML parser at all."""
    try:
        import yaml
    except ImportError:
        raise RunaiMissingLibraryError("PyYAML", "to read a manifest given as YAML text or in 'src'",
                                       traceback.format_exc())

    class ManifestLoader(yaml.SafeLoader):
        pass

    ManifestLoader.yaml_implicit_resolvers = dict(
        (first, [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"])
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    )
    return yaml, ManifestLoader


def parse_manifest_text(text, option):
    yaml, loader = _yaml_loader()
    try:
        return yaml.load(text, Loader=loader)  # nosec B506 - the loader derives from SafeLoader
    except yaml.YAMLError as error:
        raise RunaiInputError(option, "not valid YAML: %s" % " ".join(str(error).split()))


def load_manifest(manifest=None, src=None):
    """The manifest as a dict, from ``manifest`` (a dict or a YAML string) or from the YAML file ``src``."""
    if manifest is not None and src is not None:
        raise RunaiInputError("manifest", "give either 'manifest' or 'src', not both.")
    if manifest is None and src is None:
        raise RunaiInputError("manifest", "state=present needs the workload's Kubernetes manifest in 'manifest' or 'src'.")
    option = "manifest" if src is None else "src"
    if src is not None:
        try:
            with open(src, "rb") as handle:
                manifest = handle.read().decode("utf-8")
        except (IOError, OSError, UnicodeDecodeError) as error:
            raise RunaiInputError("src", "cannot read '%s': %s" % (src, error))
    if isinstance(manifest, (bytes, str)):
        manifest = parse_manifest_text(manifest, option)
    if not isinstance(manifest, dict):
        raise RunaiInputError(
            option,
            "the manifest must be a mapping (one Kubernetes object with apiVersion and kind), not %s."
            % _describe_type(manifest),
        )
    for field in ("apiVersion", "kind"):
        if not isinstance(manifest.get(field), str) or not manifest.get(field):
            raise RunaiInputError(option, "the manifest has no '%s'; a Kubernetes object needs one." % field)
    check_manifest_size(manifest, option)
    return manifest


def _describe_type(value):
    if value is None:
        return "an empty document"
    if isinstance(value, list):
        return "a list"
    return "a %s" % type(value).__name__


def manifest_base64_length(manifest):
    size = len(json.dumps(manifest, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    return 4 * ((size + 2) // 3)


def check_manifest_size(manifest, option="manifest"):
    try:
        length = manifest_base64_length(manifest)
    except (TypeError, ValueError) as error:
        raise RunaiInputError(option, "the manifest holds a value that JSON cannot carry: %s" % error)
    if length > MANIFEST_MAX_BASE64_CHARS:
        raise RunaiInputError(
            option,
            "the manifest is %d characters once base64-encoded; the Run:ai API accepts at most %d."
            % (length, MANIFEST_MAX_BASE64_CHARS),
        )


def desired_workload(name, manifest, priority=None, category=None, preemptibility=None):
    metadata = dict(
        (key, value)
        for key, value in (("priority", priority), ("category", category), ("preemptibility", preemptibility))
        if value is not None
    )
    return DesiredWorkload(name=name, metadata=metadata, manifest=manifest)


# -- request bodies ---------------------------------------------------------------------------------------------------


def create_body(desired, project_id, cluster_id=None, stored_keys=None):
    """The POST body; ``stored_keys`` (the create metadata the control plane's level stores) leaves out the rest."""
    metadata = dict(name=desired.name, projectId=str(project_id))
    if cluster_id:
        metadata["clusterId"] = cluster_id
    metadata.update(desired.metadata)
    if stored_keys is not None:
        metadata = dict((key, value) for key, value in metadata.items() if key in stored_keys)
    return dict(metadata=metadata, manifest=desired.manifest)


def unstored_metadata(desired, stored_keys):
    """The metadata options the task sets that a level storing only ``stored_keys`` would drop."""
    return sorted(key for key in desired.metadata if key not in stored_keys)


def without_metadata(desired, keys):
    """``desired`` without the metadata ``keys``: a level that does not store them can neither take nor compare them."""
    if not keys:
        return desired
    return desired._replace(metadata=dict((key, value) for key, value in desired.metadata.items() if key not in keys))


def update_body(desired, differences):
    """The PUT body that carries only what changed and the API lets change."""
    body = {}
    metadata = dict(
        (key, desired.metadata[key]) for key in UPDATABLE_METADATA if ("metadata", key) in _heads(differences)
    )
    if metadata:
        body["metadata"] = metadata
    if any(path[0] == "manifest" for path in differences):
        body["manifest"] = desired.manifest  # the API replaces the stored manifest wholesale
    return body


def _heads(paths):
    return set(tuple(path[:2]) for path in paths)


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
