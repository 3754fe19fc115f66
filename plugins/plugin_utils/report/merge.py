# -*- coding: utf-8 -*-
# Copyright: (c) 2026, runai.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One report from the parts that the slices of a sliced job wrote: each part is a report.json of some projects over
the same window, and the merged data is what one unsliced run over all of them would have gathered."""

from __future__ import annotations

import glob
import json
import os

from ansible_collections.runai.platform.plugins.module_utils.api.errors import RunaiInputError

PART_FILE = "report.json"


def part_files(path: str) -> list[str]:
    """A report.json named directly, or every <part>/report.json under a directory of parts, sorted."""
    path = os.path.abspath(os.path.expanduser(path))
    if os.path.isfile(path):
        return [path]
    if os.path.isdir(path):
        found = sorted(glob.glob(os.path.join(glob.escape(path), "*", PART_FILE)))
        if os.path.isfile(os.path.join(path, PART_FILE)):
            found.insert(0, os.path.join(path, PART_FILE))
        if found:
            return found
        raise RunaiInputError("parts", "%s holds no %s and no <part>/%s." % (path, PART_FILE, PART_FILE))
    raise RunaiInputError("parts", "%s does not exist." % path)


def load_part(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except ValueError as error:
        raise RunaiInputError("parts", "%s is not a report.json: %s." % (path, error)) from None
    except OSError as error:
        raise RunaiInputError("parts", "cannot read %s: %s." % (path, error.strerror)) from None


def load_parts(parts: list) -> list[dict]:
    """The parts given as paths (files or directories of parts) or as report.json data already read."""
    loaded = []
    for part in parts:
        if isinstance(part, dict):
            loaded.append(part)
        elif isinstance(part, str) and part:
            loaded.extend(load_part(path) for path in part_files(part))
        else:
            raise RunaiInputError("parts", "each part is a path or the data of a report.json, got %r." % (part,))
    if not loaded:
        raise RunaiInputError("parts", "no part to merge was given.")
    return loaded


def unique(items: list, key) -> list:
    seen: dict = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


def merge_parts(parts: list[dict]) -> dict:
    """The gathered data of every part together. The parts must share their window, or the sums would mix periods.
    Telemetry is cluster-wide, so every part read the same: the first part's is kept."""
    windows = {json.dumps(part.get("window"), sort_keys=True) for part in parts}
    if len(windows) != 1:
        raise RunaiInputError("parts", "the parts cover different windows (%s); merge the parts of one run, whose "
                                       "start and end were fixed." % ", ".join(sorted(windows)))
    for index, part in enumerate(parts):
        if not isinstance(part.get("workloads"), list):
            raise RunaiInputError("parts", "part %d has no list of workloads: is it a report.json?" % (index + 1))
    selections = [part.get("selection") or {} for part in parts]
    projects = sorted({project for selection in selections for project in selection.get("projects") or []})
    merged_selection = dict(selections[0], projects=projects) if selections[0] else {"projects": projects}
    return {
        "selection": merged_selection,
        "window": parts[0]["window"],
        "workloads": [workload for part in parts for workload in part["workloads"]],
        "pods": unique([pod for part in parts for pod in part.get("pods") or []],
                       lambda pod: (pod.get("workloadId"), pod.get("id"))),
        "series": unique([item for part in parts for item in part.get("series") or []],
                         lambda item: (item.get("workload_id"), item.get("pod_id"), item.get("type"))),
        "metrics_partial": any(part.get("metrics_partial") for part in parts),
        "telemetry": next((part["telemetry"] for part in parts if part.get("telemetry")), []),
    }
