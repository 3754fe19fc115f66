# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a workload should look like: the desired request built from task options (name and manifest checks, manifest
parsing) and the request bodies that create or update it. Pure functions, no HTTP.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import traceback
from collections import namedtuple

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError, RunaiMissingLibraryError


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
